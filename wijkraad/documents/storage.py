"""Where the files of documents are kept: behind a small interface (put, open, delete by key)
so that another store (an S3-compatible one) can take the place of the local directory. The
key is the file's SHA-256: the same content is kept once, and a key never changes meaning."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app

_KEY = re.compile(r"[0-9a-f]{64}")


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Keeps ``data`` under ``key``; a second put of the same key keeps the same bytes."""

    def open(self, key: str) -> BinaryIO:
        """The bytes kept under ``key``; FileNotFoundError when there are none."""

    def delete(self, key: str) -> None:
        """Forgets ``key``; nothing happens when it is not there."""


class LocalStorage:
    """Files in a directory, in subdirectories by the first two characters of their key."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError("a storage key is a SHA-256 in hexadecimal")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and moved into place: a reader (or a second upload of the same file at
        # the same moment) never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


KINDS = ("local",)


def storage_for(app: Flask) -> Storage:
    """The store the configuration names (``DOCUMENT_STORAGE``; only ``local`` is built)."""
    kind = app.config.get("DOCUMENT_STORAGE", "local")
    if kind == "local":
        root = app.config.get("DOCUMENTS_DIR") or os.path.join(app.instance_path, "documents")
        return LocalStorage(Path(root))
    raise RuntimeError(f"unknown document storage {kind!r} (known: {', '.join(KINDS)})")


def current_storage() -> Storage:
    return storage_for(current_app)
