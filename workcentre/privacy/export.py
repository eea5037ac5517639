"""Access request: everything stored about one participant, as one .zip.

The zip holds a readable Finnish page (print it to PDF from the browser), the same data as JSON
and the person's photo. The rows come from every table that references the participant
(`datamap.participant_tables`), so a new table is exported without a change here. Every export is
an audit event.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import render_template
from sqlalchemy import or_, select

from .. import audit
from ..extensions import db
from ..models import AuditEvent, Participant, User, utcnow
from ..photos import is_photo_name, photo_dir
from .datamap import PARTICIPANT_TABLE, participant_tables, referencing_columns

FORMAT = "workcentre-person/1"


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(table, where) -> list[dict]:
    return [{key: _value(value) for key, value in row._mapping.items()}
            for row in db.session.execute(select(table).where(where).order_by(*table.primary_key))]


def person_data(participant: Participant) -> dict:
    """Every row about the participant, table by table, and who handled their data."""
    participant_table = db.metadata.tables[PARTICIPANT_TABLE]
    tables = {PARTICIPANT_TABLE: _rows(participant_table,
                                       participant_table.c.id == participant.id)}
    for name, table in participant_tables().items():
        columns = referencing_columns(table, PARTICIPANT_TABLE)
        tables[name] = _rows(table, or_(*(c == participant.id for c in columns)))
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.participant_id == participant.id).order_by(AuditEvent.id))
    return {
        "format": FORMAT,
        "participant_id": participant.id,
        "exported_at": _value(utcnow()),
        "tables": tables,
        "audit": [{"at": _value(e.at), "actor": e.actor, "action": e.action,
                   "entity": e.entity, "entity_id": e.entity_id, "fields": e.fields}
                  for e in events],
    }


def _photo_file(participant: Participant) -> Path | None:
    name = participant.photo_path
    if not name or not is_photo_name(name):
        return None
    path = photo_dir() / name
    return path if path.is_file() else None


def export_zip(participant: Participant) -> bytes:
    """The .zip of one participant's data; the export is audit-logged (the caller commits)."""
    data = person_data(participant)
    photo = _photo_file(participant)
    recorder = (db.session.get(User, participant.photo_consent_by_id)
                if participant.photo_consent_by_id else None)
    page = render_template("privacy/person_export.html", participant=participant, data=data,
                           photo=photo.name if photo else None, recorder=recorder)
    buffer = io.BytesIO()
    stem = f"henkilotiedot-{participant.id}"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.html", page)
        archive.writestr(f"{stem}.json", json.dumps(data, ensure_ascii=False, indent=1))
        if photo is not None:
            archive.write(photo, f"kuvat/{photo.name}")
    audit.record(db.session, "export", "participant", participant.id,
                 participant_id=participant.id)
    return buffer.getvalue()


def file_name(participant: Participant) -> str:
    return f"henkilotiedot-{participant.id}.zip"
