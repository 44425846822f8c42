from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grappe.dataexchange.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read only: imports are checked and confirmed on the staff pages, through the services."""

    list_display = ["filename", "kind", "owner", "status", "created_at", "imported_at"]
    list_filter = ["kind", "status"]
    search_fields = ["filename", "owner__email"]
    fields = (
        "owner",
        "kind",
        "filename",
        "status",
        "created_at",
        "imported_at",
        "report",
        "result",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
