"""The Django admin shows the labelling records read-only: every change goes through the
services (the staff pages under /projects/staff/ and the file's page), which check, audit and
mail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from grappe.projects.models import (
    Certificate,
    CommitteeMember,
    Criterion,
    EligibilityRule,
    LabellingRequest,
    LabellingSession,
    Partner,
    Project,
    ProjectContact,
    ProjectDocument,
)


class ReadOnly:
    """No add, change or delete from the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("position", "code", "name_fr", "weight", "eliminatory_below")


class CommitteeInline(ReadOnlyInline):
    model = CommitteeMember
    fields = ("user", "role")


@admin.register(LabellingSession)
class LabellingSessionAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name_fr", "submission_deadline", "committee_date", "staff_page")
    search_fields = ("name_fr", "name_en", "slug")
    inlines = [CriterionInline, CommitteeInline]

    @admin.display(description=_("staff page"))
    def staff_page(self, obj: LabellingSession) -> str:
        url = reverse("projects:staff_session", kwargs={"slug": obj.slug})
        return format_html('<a href="{}">{}</a>', url, _("Open"))


class PartnerInline(ReadOnlyInline):
    model = Partner
    fields = ("name", "role", "kind", "country", "budget", "requested_aid", "obtained_aid")


class ContactInline(ReadOnlyInline):
    model = ProjectContact
    fields = ("user", "partner", "added_at")


class DocumentInline(ReadOnlyInline):
    model = ProjectDocument
    fields = ("title", "kind", "size", "uploaded_at")


@admin.register(LabellingRequest)
class LabellingRequestAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("project", "session", "scheme", "status", "decision", "file_page")
    list_filter = ("status", "scheme", "session")
    search_fields = ("project__acronym", "title")
    list_select_related = ("project", "session")
    inlines = [PartnerInline, ContactInline, DocumentInline]

    @admin.display(description=_("file's page"))
    def file_page(self, obj: LabellingRequest) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open"))


@admin.register(Project)
class ProjectAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("acronym", "lead", "created_at")
    search_fields = ("acronym",)
    list_select_related = ("lead",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("number", "kind", "request", "issued_at", "revoked_at")
    search_fields = ("number", "request__project__acronym")
    list_select_related = ("request__project", "request__session")


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("scheme", "rule", "params", "is_active")
    list_filter = ("scheme", "is_active")
