"""The cell page's explanation: one person's situation in one half-day in plain words, with what
to do, read from the stored plan's explanations (the same ones the week grid shows)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import Assignment, Participant, WeekPlan
from ..voice.wishes import wishes_of
from .services import participant_key, step_key
from .week_view import bottleneck_label

IDLE = {
    "no_eligible_task": _l("%(name)s jäi ilman työtä: hänelle ei ole tässä vuorossa sopivaa "
                           "tehtävää. Lisää hänelle taito tai ota vastaan tilaus, jonka työtä "
                           "hän osaa tehdä."),
    "seats_full": _l("%(name)s jäi ilman työtä: työtilan paikat tai tehtävän työpisteet ovat "
                     "täynnä tässä vuorossa. Siirrä joku toiseen työtilaan tai valitse hänelle "
                     "tehtävä alta."),
    "support_capacity": _l("%(name)s jäi ilman työtä: ohjausta ei riitä hänen tarvitsemaansa "
                           "tukeen tässä vuorossa. Lisää ohjaajavuoro tai valitse hänelle "
                           "tehtävä alta."),
    "no_instructor": _l("%(name)s jäi ilman työtä: yksikään ohjaaja ei ole vapaana työtilassa, "
                        "jossa hänelle olisi työtä. Lisää ohjaajavuoro tai valitse hänelle "
                        "tehtävä alta."),
    "no_work_left": _l("%(name)s jäi ilman työtä: hänen osaamansa työ on tässä vuorossa valmis "
                       "tai suunniteltu muille. Valitse hänelle tehtävä alta tai suunnittele "
                       "viikko uudelleen."),
    "left_idle": _l("%(name)s jäi suunnitelmassa ilman työtä, vaikka hänelle olisi työtä. "
                    "Valitse hänelle tehtävä alta tai suunnittele viikko uudelleen."),
}


def cell_situation(plan: WeekPlan | None, person: Participant, slot: str,
                   held: Assignment | None) -> list[str]:
    """Sentences on the person's half-day in the plan; empty when there is no plan."""
    if plan is None:
        return []
    explanations = plan.explanations or {}
    if held is not None:
        return _working(person, held, explanations.get("late_steps", []))
    key = participant_key(person.id)
    reason = next((u.get("reason") for u in explanations.get("unassigned", [])
                   if u.get("participant") == key and u.get("slot") == slot), None)
    if reason in IDLE:
        return [str(IDLE[reason]) % {"name": person.first_name}]
    if reason is not None:
        return [_("%(name)s on tässä vuorossa ilman työtä. Valitse hänelle tehtävä alta.",
                  name=person.first_name)]
    return [_("%(name)s ei ole suunnitelmassa tässä vuorossa (poissa tai ei työpäivä).",
              name=person.first_name)]


def _working(person: Participant, held: Assignment, late_steps: list[dict]) -> list[str]:
    step = held.step
    said = [_("%(name)s tekee tässä vuorossa tehtävää %(task)s: tilaus %(order)s (%(customer)s).",
              name=person.first_name, task=step.task_type.name, order=step.order.reference,
              customer=step.order.company.name)]
    info = next((s for s in late_steps if s.get("step") == step_key(step)), None)
    if info is None:
        said.append(_("Työvaihe valmistuu suunnitelmassa ajallaan."))
    elif info.get("late"):
        said.append(_("Työvaihe on myöhässä: %(why)s",
                      why=bottleneck_label(info.get("bottleneck", ""))
                      or _("syytä ei tiedetä; suunnittele viikko uudelleen.")))
    else:
        said.append(_("Työvaihe jää tällä viikolla kesken: %(why)s",
                      why=bottleneck_label(info.get("bottleneck", ""))
                      or _("syytä ei tiedetä; suunnittele viikko uudelleen.")))
    return said


def wish_words(person: Participant) -> list[str]:
    """The person's own wishes an instructor has not acted on, for the cell page."""
    kinds = [w.task_type.name for w in wishes_of(person.id) if w.outcome is None]
    if not kinds:
        return []
    return [_("%(name)s on itse toivonut pääsevänsä kokeilemaan: %(tasks)s.",
              name=person.first_name, tasks=", ".join(kinds))]
