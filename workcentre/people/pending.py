"""A people workbook between its preview and the instructor's "save": kept on disk for an hour.

Only the name of the file travels in the session of the instructor who uploaded it, so nobody
else can save it, and the file itself never goes back to the browser."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import current_app

KEEP_SECONDS = 3600
TOKEN_LENGTH = 32


def _folder() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(data: bytes) -> str:
    """Store the workbook; returns its token. Workbooks older than an hour are removed."""
    folder = _folder()
    for old in folder.glob("*.xlsx"):
        try:
            if old.stat().st_mtime < time.time() - KEEP_SECONDS:
                old.unlink(missing_ok=True)
        except FileNotFoundError:
            pass  # another upload removed it meanwhile
    token = secrets.token_hex(TOKEN_LENGTH // 2)
    (folder / f"{token}.xlsx").write_bytes(data)
    return token


def _path(token: str) -> Path | None:
    if len(token) != TOKEN_LENGTH or not all(c in "0123456789abcdef" for c in token):
        return None
    return _folder() / f"{token}.xlsx"


def load(token: str) -> bytes | None:
    path = _path(token)
    try:
        if path is None or path.stat().st_mtime < time.time() - KEEP_SECONDS:
            return None
        return path.read_bytes()
    except FileNotFoundError:  # never kept, or removed as too old meanwhile
        return None


def discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)
