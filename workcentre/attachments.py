"""Files a company attaches to an order: a photo of the product or a PDF, kept with the order."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Response, abort, current_app, send_file
from flask_babel import gettext as _

from .photos import MAX_BYTES, encode_photo
from .xlsx_upload import UploadRefused


def attachment_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Attachment:
    """A checked upload, not yet on disk: the order is saved first, the file last."""

    name: str
    data: bytes


def prepare_attachment(upload) -> Attachment | None:
    """A PDF as it is, or a picture re-encoded; None when no file was chosen. UploadRefused for
    anything else. Nothing is written yet."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadRefused(_("Liite on liian suuri (enintään %(mb)d Mt).",
                              mb=MAX_BYTES // (1024 * 1024)))
    if data.startswith(b"%PDF-"):
        return Attachment(secrets.token_hex(16) + ".pdf", data)
    try:
        return Attachment(secrets.token_hex(16) + ".jpg", encode_photo(data))
    except UploadRefused as refused:
        raise UploadRefused(_("Liitteen pitää olla PDF tai kuva (JPEG, PNG, WebP).")) from refused


@contextmanager
def stored(attachment: Attachment | None) -> Iterator[None]:
    """Write the file for the block that commits the order; remove it if the block fails, so
    no file is left without its order."""
    if attachment is None:
        yield
        return
    path = attachment_dir() / attachment.name
    path.write_bytes(attachment.data)
    try:
        yield
    except BaseException:
        path.unlink(missing_ok=True)
        raise


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
