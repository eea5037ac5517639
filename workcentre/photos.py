"""Photos of participants and of the real work, stored under instance/uploads/photos/.

Every upload is decoded by Pillow, turned upright, shrunk to tablet size and written again as a
plain JPEG: what is stored carries no metadata (a phone photo's GPS position, the camera's
serial) and cannot be anything but a picture.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .xlsx_upload import UploadRefused

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a decompression bomb is refused before it is decoded
LONGEST_SIDE = 1200
NAME_LENGTH = 32


def photo_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "photos"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_photo(data: bytes, directory: Path | None = None) -> str:
    """Store the picture; returns its file name. UploadRefused for anything else."""
    encoded = encode_photo(data)
    name = secrets.token_hex(NAME_LENGTH // 2) + ".jpg"
    ((directory or photo_dir()) / name).write_bytes(encoded)
    return name


def encode_photo(data: bytes) -> bytes:
    """The picture upright, shrunk and re-encoded as a plain JPEG. UploadRefused for anything
    else."""
    if not data:
        raise UploadRefused(_("Tiedosto on tyhjä."))
    if len(data) > MAX_BYTES:
        raise UploadRefused(_("Kuva on liian suuri (enintään %(mb)d Mt).",
                              mb=MAX_BYTES // (1024 * 1024)))
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("JPEG", "PNG", "WEBP"):
                raise UploadRefused(_("Kuvan pitää olla JPEG, PNG tai WebP."))
            if image.width * image.height > MAX_PIXELS:
                raise UploadRefused(_("Kuvassa on liikaa pikseleitä."))
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise UploadRefused(_("Tiedosto ei ole kuva tai se on rikki.")) from error
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def delete_photo(name: str | None) -> None:
    if name and is_photo_name(name):
        (photo_dir() / name).unlink(missing_ok=True)


def is_photo_name(name: str) -> bool:
    stem, dot, ext = name.partition(".")
    return (dot == "." and ext == "jpg" and len(stem) == NAME_LENGTH
            and all(c in "0123456789abcdef" for c in stem))


def new_photo(upload, old: str | None, remove: bool) -> tuple[str | None, str | None]:
    """(the photo to keep, the file to delete after commit) for a form's upload and remove box.

    UploadRefused when the upload is not a usable picture; nothing is stored then.
    """
    if upload is not None and getattr(upload, "filename", ""):
        return save_photo(upload.read()), old
    if remove:
        return None, old
    return old, None
