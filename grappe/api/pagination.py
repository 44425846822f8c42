"""Page-number pagination shared by every list: `?page=&per_page=` (at most 100), with the
total and the number of pages in the body."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1.")
    per_page: int = Field(
        DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Items per page (1–100)."
    )


class PageOut(Schema):
    """Each list's response: its `items`, then where they sit in the whole list."""

    total: int
    page: int
    pages: int
    per_page: int


def paginate(queryset: QuerySet[Any], *, page: int, per_page: int) -> dict[str, Any]:
    """One COUNT and one SELECT, whatever the page size. A page past the end is empty."""
    total = queryset.count()
    start = (page - 1) * per_page
    items = list(queryset[start : start + per_page]) if start < total else []
    return {
        "items": items,
        "total": total,
        "page": page,
        "pages": max(1, math.ceil(total / per_page)),
        "per_page": per_page,
    }
