"""Translated labels for stored codes (statuses, roles)."""

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
