"""Files a company attaches to an order: a photo of the product or a PDF, kept with the order."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Response, abort, current_app, send_file
from flask_babel import gettext as _

from .photos import MAX_BYTES, save_photo
from .xlsx_upload import UploadRefused


def attachment_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_attachment(upload) -> str | None:
    """Store a PDF as it is, or a picture re-encoded; None when no file was chosen."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadRefused(_("Liite on liian suuri (enintään %(mb)d Mt).",
                              mb=MAX_BYTES // (1024 * 1024)))
    if data.startswith(b"%PDF-"):
        name = secrets.token_hex(16) + ".pdf"
        (attachment_dir() / name).write_bytes(data)
        return name
    try:
        return save_photo(data, attachment_dir())
    except UploadRefused as refused:
        raise UploadRefused(_("Liitteen pitää olla PDF tai kuva (JPEG, PNG, WebP).")) from refused


def attachment_path(name: str) -> Path | None:
    stem, dot, ext = name.partition(".")
    if dot != "." or ext not in ("pdf", "jpg") or len(stem) != 32 or not all(
            c in "0123456789abcdef" for c in stem):
        return None
    path = attachment_dir() / name
    return path if path.exists() else None


def send_order_attachment(order) -> Response:
    """The order's attachment as a download (never shown inline), or 404."""
    path = attachment_path(order.attachment_path or "")
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=f"{order.reference}-{path.name}")
