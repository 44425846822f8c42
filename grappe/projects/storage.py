"""Where the files' documents live, and what a document must be to be kept.

Documents are confidential: they are stored outside the public media folder (which
grappe/urls.py serves to anyone) in a private folder under the data directory, and served only
through a view that checks the reader's permission. Only real PDF files are accepted: the
content is checked (magic bytes, then the cross-reference structure), not the file name."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

DEFAULT_MAX_MB = 10


def private_root() -> Path:
    """`GRAPPE_PRIVATE_ROOT`, else `<data dir>/private`: never under MEDIA_ROOT."""
    configured = getattr(settings, "GRAPPE_PRIVATE_ROOT", None) or os.environ.get(
        "GRAPPE_PRIVATE_ROOT"
    )
    return Path(configured) if configured else Path(settings.DATA_DIR) / "private"


def document_max_bytes() -> int:
    """The size limit of one document (`GRAPPE_PROJECT_DOCUMENT_MAX_MB`, default 10)."""
    value = getattr(settings, "GRAPPE_PROJECT_DOCUMENT_MAX_MB", None) or os.environ.get(
        "GRAPPE_PROJECT_DOCUMENT_MAX_MB"
    )
    try:
        megabytes = float(value) if value else DEFAULT_MAX_MB
    except (TypeError, ValueError):
        megabytes = DEFAULT_MAX_MB
    return int(megabytes * 1024 * 1024)


class PrivateStorage(FileSystemStorage):
    """A file system storage rooted in the private folder, read when used (tests move it).
    It has no URL: documents are downloaded through `projects:document_download`."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(private_root())

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private documents have no public URL; use the download view.")

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return ("grappe.projects.storage.PrivateStorage", (), {})


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """For FileField(storage=...): a callable keeps the migration free of paths."""
    return private_storage


def document_upload_to(instance: Any, filename: str) -> str:
    """`requests/<id>/<random>.pdf`: the client's file name is never a path on disk."""
    return f"requests/{instance.request_id}/{uuid.uuid4().hex}.pdf"


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF", re.S)
_OBJ_AT = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")


def pdf_problem(data: bytes) -> str:
    """Why `data` is not a PDF we keep ("" when it is one).

    A PDF starts with `%PDF-1.x` (or 2.0), ends with `startxref <offset> %%EOF`, and the offset
    points to its cross-reference table (`xref`) or stream (`n g obj`); a classic table's first
    object in use must itself sit at the offset it gives. Renamed files and garbage behind a
    `%PDF-` header fail one of these."""
    if not data.startswith(b"%PDF-") or not re.match(rb"%PDF-[12]\.\d", data[:8]):
        return _("The file is not a PDF (it does not start with %PDF-).")
    tail = data[-2048:]
    matches = list(_STARTXREF.finditer(tail))
    if not matches:
        return _("The PDF is damaged or truncated: its end of file marker is missing.")
    offset = int(matches[-1].group(1))
    if offset <= 0 or offset >= len(data):
        return _("The PDF is damaged: its cross-reference offset points outside the file.")
    at = data[offset : offset + 64]
    if at.lstrip().startswith(b"xref"):
        return _check_xref_table(data, offset)
    if _OBJ_AT.match(at) and b"/XRef" in data[offset : offset + 1024]:
        return ""
    return _("The PDF is damaged: no cross-reference table where the file says it is.")


def _check_xref_table(data: bytes, offset: int) -> str:
    section = data[offset : offset + 4096]
    if b"trailer" not in data[offset:] or b"/Root" not in data[offset:]:
        return _("The PDF is damaged: its trailer has no document root.")
    for match in _XREF_ENTRY.finditer(section):
        object_offset, _generation, kind = match.groups()
        if kind == b"n":
            position = int(object_offset)
            if position >= len(data) or not _OBJ_AT.match(data[position : position + 40]):
                return _("The PDF is damaged: its objects are not where its table says.")
            return ""
    return _("The PDF is damaged: its cross-reference table is empty.")
