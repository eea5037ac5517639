"""The centre report as a workbook: a sheet per section, numbers as numbers, dates as dates,
no formulas (workcentre.xlsx writes every text as text)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..xlsx import new_workbook, sheet, table, to_bytes
from .centre import CentreReport


def _yes_no(value: bool | None) -> str:
    return "" if value is None else _("Kyllä") if value else _("Ei")


def summary_rows(report: CentreReport) -> list[list]:
    a, o = report.attendance, report.orders
    return [
        [_("Työkeskus"), report.centre.name],
        [_("Alkaen"), report.period.first],
        [_("Päättyen"), report.period.last],
        [_("Asiakkaita, joiden piti tulla"), a.people_expected],
        [_("Asiakkaita, jotka tulivat"), a.people_came],
        [_("Odotetut puolipäivät"), a.expected],
        [_("Läsnä puolipäiviä"), a.present],
        [_("Läsnäoloaste (%)"), a.rate],
        [_("Läsnä ja suunniteltua työtä (puolipäiviä)"), report.attended_with_work],
        [_("Mielekkään työn osuus (%)"), report.work_share],
        [_("Saapuneet tilaukset"), o.received],
        [_("Toimitetut tilaukset"), len(o.delivered)],
        [_("Ajallaan toimitetut"), o.on_time],
        [_("Ajallaan (%)"), o.on_time_rate],
        [_("Myöhästyminen keskimäärin (päivää)"), o.mean_delay],
        [_("Suurin myöhästyminen (päivää)"), o.max_delay],
        [_("Valmistetut kappaleet"), sum(r.units for r in report.work)],
        [_("Työtunnit"), round(sum(r.work_minutes for r in report.work) / 60, 1)],
        [_("Ohjaajatunnit"), round(sum(report.instructor_hours.values()), 1)],
        [_("Avunpyynnöt"), report.help_total.calls],
        [_("Vastatut avunpyynnöt"), report.help_total.answered],
        [_("Vastausaika, mediaani (min)"), report.help_total.median_minutes],
        [_("Vastausaika, pisin (min)"), report.help_total.max_minutes],
    ]


def centre_workbook(report: CentreReport) -> bytes:
    workbook = new_workbook()
    table(sheet(workbook, _("Yhteenveto")), [_("Tunnusluku"), _("Arvo")], summary_rows(report))
    table(sheet(workbook, _("Läsnäolo")),
          [_("Viikko"), _("Alkaen"), _("Päättyen"), _("Odotetut"), _("Läsnä"), _("Poissa"),
           _("Ilmoitettu poissaolo"), _("Merkitsemättä"), _("Läsnäoloaste (%)")],
          [[week, part.first, part.last, a.expected, a.present, a.absent, a.announced,
            a.unmarked, a.rate]
           for (week, a), (_week, part) in zip(report.weeks, report.period.weeks(),
                                               strict=True)])
    table(sheet(workbook, _("Tilaukset")),
          [_("Tilaus"), _("Yritys"), _("Sovittu päivä"), _("Toimitettu"),
           _("Myöhässä (päivää)"), _("Ajallaan")],
          [[r.reference, r.company, r.due, r.delivered, r.delay_days, _yes_no(r.on_time)]
           for r in report.orders.delivered])
    table(sheet(workbook, _("Työ")),
          [_("Yritys"), _("Tehtävä"), _("Kappaleet"), _("Normitunnit"), _("Työtunnit")],
          [[r.company, r.task_type, r.units, r.standard_hours, r.work_hours]
           for r in report.work])
    table(sheet(workbook, _("Ohjaajatunnit")), [_("Työtila"), _("Tunnit")],
          [[area, hours] for area, hours in report.instructor_hours.items()])
    table(sheet(workbook, _("Avunpyynnöt")),
          [_("Työtila"), _("Pyyntöjä"), _("Vastattu"), _("Mediaani (min)"), _("Pisin (min)")],
          [[r.area or _("ei työtilaa"), r.calls, r.answered, r.median_minutes, r.max_minutes]
           for r in report.help])
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.is_date:
                    cell.number_format = "D.M.YYYY"
    workbook.properties.title = f"{report.centre.name} {report.period.label()}"
    return to_bytes(workbook)
