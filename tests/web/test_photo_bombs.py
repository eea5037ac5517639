"""Pictures that cost far more memory decoded than their size on the wire."""

from __future__ import annotations

import io
import threading
import time

import pytest
from PIL import Image, ImageOps

from tests.measure_hostile_input import png_bomb
from workcentre import photos
from workcentre.photos import encode_photo
from workcentre.xlsx_upload import UploadRefused


def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 200)).save(buffer, "JPEG", quality=50)
    return buffer.getvalue()


def test_a_small_png_of_7000_by_7000_pixels_is_refused_before_decoding(app):
    bomb = png_bomb(7000, 7000)
    assert len(bomb) < 10_000
    with app.test_request_context():
        started = time.monotonic()
        with pytest.raises(UploadRefused) as refused:
            encode_photo(bomb)
        assert time.monotonic() - started < 1
        assert "liian suuri (7000 × 7000 pikseliä)" in refused.value.message


def test_a_large_phone_photo_still_comes_in(app):
    with app.test_request_context():
        stored = Image.open(io.BytesIO(encode_photo(_jpeg(8000, 6000))))
        assert max(stored.size) == 1200


def test_only_a_few_pictures_are_decoded_at_once(app, monkeypatch):
    """Six uploads at the same moment: at most DECODE_SLOTS of them hold a decoded picture."""
    inside, most = 0, 0
    lock = threading.Lock()
    real = ImageOps.exif_transpose

    def counting(image, **kwargs):
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.05)
        try:
            return real(image, **kwargs)
        finally:
            with lock:
                inside -= 1

    monkeypatch.setattr(photos.ImageOps, "exif_transpose", counting)
    picture = _jpeg(2000, 1500)
    barrier = threading.Barrier(6)

    def upload():
        with app.test_request_context():
            barrier.wait()
            encode_photo(picture)

    threads = [threading.Thread(target=upload) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= most <= photos.DECODE_SLOTS


def test_every_upload_waits_only_a_while_for_a_slot(app, monkeypatch):
    monkeypatch.setattr(photos, "SLOT_WAIT_SECONDS", 0.1)
    photos.DECODES.acquire()
    photos.DECODES.acquire()
    try:
        with app.test_request_context(), pytest.raises(UploadRefused) as refused:
            encode_photo(_jpeg(100, 100))
        assert "Yritä hetken kuluttua uudelleen" in refused.value.message
    finally:
        photos.DECODES.release()
        photos.DECODES.release()
