"""Photos of participants and of the real work, stored under instance/uploads/photos/.

Every upload is decoded by Pillow, turned upright, shrunk to tablet size and written again as a
plain JPEG: what is stored carries no metadata (a phone photo's GPS position, the camera's
serial) and cannot be anything but a picture.
"""

from __future__ import annotations

import io
import secrets
import threading
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .xlsx_upload import UploadRefused

MAX_BYTES = 10 * 1024 * 1024
# Pixel counts read from the header: a decompression bomb is refused before it is decoded.
MAX_PIXELS = 50_000_000  # a JPEG (decoded at a fraction of its size, see _decode_small)
MAX_PIXELS_FULL = 16_000_000  # PNG and WebP decode whole: 4000 x 4000 is 64 MB as RGBA
# Decodes at once per process, and how long an upload waits for its turn: six large uploads
# at the same moment queue instead of adding up their memory.
DECODE_SLOTS = 2
SLOT_WAIT_SECONDS = 20.0
DECODES = threading.BoundedSemaphore(DECODE_SLOTS)
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
    else, and for a picture that would take too much memory to decode (checked from its header,
    before any pixel is decoded)."""
    if not data:
        raise UploadRefused(_("Tiedosto on tyhjä."))
    if len(data) > MAX_BYTES:
        raise UploadRefused(_("Kuva on liian suuri (enintään %(mb)d Mt).",
                              mb=MAX_BYTES // (1024 * 1024)))
    if not DECODES.acquire(timeout=SLOT_WAIT_SECONDS):
        raise UploadRefused(_("Kuvia käsitellään juuri nyt paljon. Yritä hetken kuluttua "
                              "uudelleen."))
    try:
        picture = _decode_small(data)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise UploadRefused(_("Tiedosto ei ole kuva tai se on rikki.")) from error
    finally:
        DECODES.release()
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def _decode_small(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        if image.format not in ("JPEG", "PNG", "WEBP"):
            raise UploadRefused(_("Kuvan pitää olla JPEG, PNG tai WebP."))
        pixels = image.width * image.height
        if pixels > MAX_PIXELS or (image.format != "JPEG" and pixels > MAX_PIXELS_FULL):
            raise UploadRefused(_("Kuva on liian suuri (%(w)d × %(h)d pikseliä). Pienennä se "
                                  "ja lähetä uudelleen.", w=image.width, h=image.height))
        # A JPEG decodes straight at 1/2, 1/4 or 1/8 of its size: a 48-megapixel phone photo
        # costs a few megapixels of memory. Other formats decode whole, hence their lower limit.
        image.draft("RGB", (2 * LONGEST_SIDE, 2 * LONGEST_SIDE))
        image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
        return ImageOps.exif_transpose(image).convert("RGB")


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
