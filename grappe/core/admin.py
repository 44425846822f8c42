"""The audit trail in the Django admin: read-only, searchable, never edited nor deleted."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from grappe.backoffice.admin_support import LABELS, ReadOnlyAdmin
from grappe.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "action", "actor__email", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["actor", "content_type"]
    fields = readonly_fields = (
        "at", "actor", "action", "content_type", "object_id", "object_repr", "pretty_changes",
    )  # fmt: skip

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from grappe.core.permissions import can_view_audit

        return can_view_audit(request.user)

    @admin.display(description=LABELS["changes"])
    def pretty_changes(self, obj: AuditEntry) -> str:
        text = json.dumps(obj.changes, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html("<pre>{}</pre>", text)
