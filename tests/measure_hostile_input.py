"""Measure what hostile uploads cost: `python tests/measure_hostile_input.py photos|workbook`.

photos:   peak memory (max RSS) of one process decoding six 7000 x 7000 PNGs (6 KB each)
          in six threads at once, as six simultaneous uploads would.
photos-allowed: the same with six 4000 x 4000 PNGs, the largest PNG still taken in.
workbook: seconds until an order workbook whose one row is numbered 5,000,000 is answered, and
          whether it was refused.
workbook-wide: the same for a workbook with one row of 800,000 cells (3.2 MB packed).
Run it with PYTHONPATH pointing at the checkout to measure (e.g. the main branch for "before").
"""

from __future__ import annotations

import io
import resource
import struct
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

# Run as a script, this folder comes first on sys.path and its scheduling/ tests would shadow the
# real package: the code measured is the one PYTHONPATH names.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
from workcentre import create_app  # noqa: E402


def png_bomb(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of any size, built row by row: 7000 x 7000 is 6 KB on the
    wire and about 200 MB once decoded to RGB."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


def _app():
    return create_app({"TESTING": True, "SECRET_KEY": "measure",
                       "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def photos(width: int = 7000, height: int = 7000) -> None:
    from workcentre.photos import save_photo

    app, bomb = _app(), png_bomb(width, height)
    outcomes: list[str] = []
    directory = Path(tempfile.mkdtemp())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def upload() -> None:
        with app.test_request_context():
            try:
                save_photo(bomb, directory)
                outcomes.append("stored")
            except Exception as error:  # noqa: BLE001 - the outcome is what is measured
                outcomes.append(getattr(error, "message", type(error).__name__))

    started = time.monotonic()
    threads = [threading.Thread(target=upload) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"six {len(bomb)} byte PNGs of {width}x{height}: {time.monotonic() - started:.2f} s, "
          f"peak RSS {peak / 1024:.0f} MB (before the uploads {before / 1024:.0f} MB); "
          f"outcomes: {sorted(set(outcomes))}")


def _row_five_million() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Tuote", "Määrä (kpl)", "Toivottu toimituspäivä", "Lisätiedot"])
    workbook.active.append(["Esitteet", 10, None, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    archive, out_buffer = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out_buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            body = archive.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                for old, new in ((b'r="2"', b'r="5000000"'), (b":D2", b":D5000000")):
                    body = body.replace(old, new)
                for column in b"ABCD":
                    body = body.replace(b'r="%c2"' % column, b'r="%c5000000"' % column)
            out.writestr(info.filename, body)
    return out_buffer.getvalue()


def _wide_row(cells: int = 800_000) -> bytes:
    """The order template with one good line and, beyond it, one row of `cells` cells."""
    workbook = Workbook()
    workbook.active.append(["Tuote", "Määrä (kpl)", "Toivottu toimituspäivä", "Lisätiedot"])
    workbook.active.append(["Esitteet", 10, None, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    extra = b"".join(b'<c r="E2"><v>%d</v></c>' % (n * 7919 % 1_000_003) for n in range(cells))
    archive, out_buffer = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out_buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            body = archive.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</row></sheetData>", extra + b"</row></sheetData>", 1)
            out.writestr(info.filename, body)
    return out_buffer.getvalue()


def workbook(data: bytes | None = None, what: str = "one row numbered 5,000,000") -> None:
    from workcentre.orders.importer import read_order_workbook

    data = data or _row_five_million()
    with _app().test_request_context():
        started = time.monotonic()
        result = read_order_workbook(data)
        seconds = time.monotonic() - started
    print(f"{len(data)} byte order workbook, {what}: {seconds:.2f} s, "
          f"{len(result.lines)} lines accepted, errors: {result.errors}")


if __name__ == "__main__":
    {"photos": photos, "photos-allowed": lambda: photos(4000, 4000),
     "workbook": workbook,
     "workbook-wide": lambda: workbook(_wide_row(), "one row of 800,000 cells")}[sys.argv[1]]()
