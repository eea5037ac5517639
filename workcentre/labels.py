"""Translated labels for stored codes (statuses, roles)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

ORDER_STATUS = {
    "received": _l("Vastaanotettu"),
    "accepted": _l("Hyväksytty"),
    "planned": _l("Suunniteltu"),
    "in_production": _l("Työn alla"),
    "ready": _l("Valmis"),
    "delivered": _l("Toimitettu"),
    "declined": _l("Hylätty"),
}

PLAN_STATE = {
    "draft": _l("Luonnos"),
    "published": _l("Julkaistu"),
    "superseded": _l("Korvattu uudella versiolla"),
}


def order_status_label(code: str) -> str:
    return str(ORDER_STATUS.get(code, code))


def plan_state_label(code: str) -> str:
    return str(PLAN_STATE.get(code, code))

WEEKDAY = {"mon": _l("ma"), "tue": _l("ti"), "wed": _l("ke"), "thu": _l("to"), "fri": _l("pe")}
HALF = {"am": _l("aamupäivä"), "pm": _l("iltapäivä")}


def slot_label(key: str) -> str:
    """ "mon-am" -> "ma aamupäivä" in the interface language."""
    day, _, half = key.partition("-")
    return f"{WEEKDAY.get(day, day)} {HALF.get(half, half)}"


def weekday_label(key: str) -> str:
    """ "mon" or "mon-am" -> "ma" in the interface language."""
    day = key.partition("-")[0]
    return str(WEEKDAY.get(day, day))


def grouped(value: int) -> str:
    """A count with its thousands apart: 1200 -> "1 200"."""
    return f"{value:,}".replace(",", " ")

TERM = {
    "unassigned": _l("Puolipäiviä ilman tehtävää"),
    "overdue": _l("Myöhästyvä työ (min × kiireellisyys)"),
    "open": _l("Viikolla kesken jäävä työ (min)"),
    "task_changes": _l("Tehtävän vaihdot"),
    "routine_changes": _l("Vaihdot rutiinia tarvitsevilla"),
    "previous_changes": _l("Muutokset edelliseen suunnitelmaan"),
    "disliked": _l("Epämieluisat tehtävät"),
    "not_preferred": _l("Muut kuin toivotut tehtävät"),
}

RUN_MESSAGE = {
    "infeasible": _l("Lukitut tehtävät eivät sovi yhteen. Poista jokin lukitus ja yritä "
                     "uudelleen."),
    "no_plan": _l("Suunnitelmaa ei löytynyt annetussa ajassa. Kokeile pidempää aikaa."),
    "error": _l("Suunnittelu keskeytyi virheeseen. Edellinen suunnitelma säilyi ennallaan."),
    "lost": _l("Suunnittelu keskeytyi. Edellinen suunnitelma säilyi ennallaan."),
    "changed": _l("Suunnitelmaa muutettiin suunnittelun aikana, joten uutta suunnitelmaa ei "
                  "tallennettu. Tee suunnitelma uudelleen."),
}


def term_label(code: str) -> str:
    return str(TERM.get(code, code))


def run_message(code: str) -> str:
    if code.startswith("instance:"):
        return str(_l("Viikon tiedoissa on virhe:")) + code[len("instance:"):]
    return str(RUN_MESSAGE.get(code, code))

TAG = {
    "noise": _l("melu"),
    "sharp": _l("terävät työkalut"),
    "standing": _l("seisomatyö"),
    "heavy": _l("raskaat nostot"),
    "chemicals": _l("kemikaalit"),
    "fine_motor": _l("tarkka käsityö"),
    "dust": _l("pöly"),
}


def tag_label(code: str) -> str:
    return str(TAG.get(code, code))


WEEKDAY_BY_NUMBER = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKEND = {"sat": _l("la"), "sun": _l("su")}


def weekday_date(day) -> str:
    """ "pe 4.12.2026" in the interface language."""
    key = WEEKDAY_BY_NUMBER[day.weekday()]
    return f"{WEEKDAY.get(key) or WEEKEND[key]} {day.day}.{day.month}.{day.year}"


ORDER_EVENT = {
    "received": _l("Tilaus vastaanotettu"),
    "accepted": _l("Tilaus hyväksytty, toimitus"),
    "declined": _l("Tilaus hylätty"),
    "changed": _l("Tilausta muutettu"),
    "planned": _l("Tilaus on viikkosuunnitelmassa"),
    "planned_late": _l("Suunnitelman mukaan tilaus myöhästyy vahvistetusta päivästä"),
    "ready": _l("Tilaus valmis"),
    "delivered": _l("Tilaus toimitettu"),
}


def order_event_label(code: str) -> str:
    return str(ORDER_EVENT.get(code, code))


LOCAL_ZONE = ZoneInfo("Europe/Helsinki")


def local_time(moment: datetime) -> str:
    """A stored UTC time as the clock on the wall shows it ("13.05")."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).strftime("%H.%M")


def local_date(moment: datetime) -> str:
    """A stored UTC time's day as the calendar on the wall shows it ("7.12.")."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).strftime("%-d.%-m.")


PIN_PICTURES = {
    "sun": _l("aurinko"), "tree": _l("puu"), "house": _l("talo"), "star": _l("tähti"),
    "heart": _l("sydän"), "fish": _l("kala"), "flower": _l("kukka"), "moon": _l("kuu"),
}


def pin_picture_label(code: str) -> str:
    return str(PIN_PICTURES.get(code, code))


# What a photo may be used for, with the participant's consent (privacy.consent).
CONSENT_USES = {
    "tablet": _l("tabletit ja Kuka tuli -lista"),
    "print": _l("tulostetut kuvalukujärjestykset"),
}


def consent_uses(value: str) -> str:
    """The uses of a recorded photo consent, in words ("tablet,print")."""
    return ", ".join(str(CONSENT_USES.get(u, u)) for u in value.split(",") if u)
