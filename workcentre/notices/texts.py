"""What each notice says, in the recipient's language: short, plain, with the order's number
and a link. Only order facts go in (number, product, dates, the instructor's reason or change)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _


@dataclass(frozen=True)
class OrderFacts:
    """What a notice may tell about an order, read before sending."""

    kind: str
    reference: str
    title: str
    message: str  # the event's own text: the reason, the change, the confirmed date
    confirmed_date: date | None
    link: str


def _day(day: date | None) -> str:
    return day.strftime("%-d.%-m.%Y") if day else "—"


def _subject(facts: OrderFacts) -> str:
    ref = facts.reference
    return {
        "received": _("Tilaus %(ref)s vastaanotettu", ref=ref),
        "accepted": _("Tilaus %(ref)s hyväksytty", ref=ref),
        "changed": _("Tilausta %(ref)s muutettu", ref=ref),
        "declined": _("Tilaus %(ref)s hylätty", ref=ref),
        "planned_late": _("Tilaus %(ref)s myöhästyy", ref=ref),
        "ready": _("Tilaus %(ref)s on valmis", ref=ref),
        "delivered": _("Tilaus %(ref)s toimitettu", ref=ref),
    }[facts.kind]


def _news(facts: OrderFacts) -> str:
    what = {"ref": facts.reference, "title": facts.title}
    if facts.kind == "received":
        return _("Olemme vastaanottaneet tilauksenne %(ref)s (%(title)s). Saatte viestin, kun "
                 "ohjaaja on käsitellyt sen.", **what)
    if facts.kind == "accepted":
        return _("Tilauksenne %(ref)s (%(title)s) on hyväksytty. Vahvistettu toimituspäivä: "
                 "%(day)s.", day=_day(facts.confirmed_date), **what)
    if facts.kind == "changed":
        return _("Tilaustanne %(ref)s (%(title)s) on muutettu: %(change)s",
                 change=facts.message, **what)
    if facts.kind == "declined":
        return _("Emme valitettavasti voi ottaa tilaustanne %(ref)s (%(title)s) vastaan. "
                 "Syy: %(reason)s", reason=facts.message, **what)
    if facts.kind == "planned_late":
        return _("Tilauksenne %(ref)s (%(title)s) ei suunnitelman mukaan valmistu "
                 "vahvistettuna toimituspäivänä %(day)s. Ohjaaja ottaa teihin yhteyttä "
                 "uudesta päivästä.", day=_day(facts.confirmed_date), **what)
    if facts.kind == "ready":
        return _("Tilauksenne %(ref)s (%(title)s) on valmis toimitettavaksi.", **what)
    return _("Tilauksenne %(ref)s (%(title)s) on toimitettu. Kiitos tilauksesta!", **what)


def compose(facts: OrderFacts, language: str) -> tuple[str, str]:
    """(subject, body) of the notice in this language."""
    with force_locale(language):
        body = "\n\n".join([
            _("Hei,"),
            _news(facts),
            _("Tilauksen tiedot: %(link)s", link=facts.link),
            _("Tämä viesti on lähetetty automaattisesti työkeskuksen tilausjärjestelmästä."),
        ])
        return _subject(facts), body + "\n"
