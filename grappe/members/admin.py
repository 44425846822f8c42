"""The Django admin for members: every model is here, and every change goes through a service
(workflow transitions are admin actions; statuses are read-only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from grappe.backoffice import admin_support as support
from grappe.backoffice.admin_support import LABELS, ReadOnlyAdmin, ReadOnlyInline, StaffAdmin
from grappe.backoffice.services import (
    CLUSTER_PROFILE_FIELDS,
    cluster_profile_update,
    fee_schedule_create,
    fee_schedule_update,
    field_policy_set,
)
from grappe.members import services
from grappe.members.models import (
    Affiliation,
    ClusterProfile,
    Competence,
    Consent,
    ConsentSource,
    CreditNote,
    CreditNoteCounter,
    FeeBand,
    FeeSchedule,
    FieldPolicy,
    Invoice,
    InvoiceCounter,
    Membership,
    Organisation,
    OrganisationFigures,
    Person,
    TaxonomyVersion,
)
from grappe.members.permissions import ORGANISATION_FIELDS
from grappe.members.services.organisations import EDITABLE_FIELDS, STAFF_ONLY_FIELDS
from grappe.members.services.people import PERSON_FIELDS

# --- Organisations --------------------------------------------------------------------------


class FiguresInline(ReadOnlyInline):
    model = OrganisationFigures
    fields = readonly_fields = (
        "year",
        "headcount",
        "turnover",
        "export_share",
        "rnd_spend",
        "size_class",
    )


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = readonly_fields = ("year", "status", "college", "fee", "start", "end")


@admin.register(Organisation)
class OrganisationAdmin(StaffAdmin):
    list_display = ["name", "legal_name", "kind", "college", "size_class", "city", "region"]
    list_filter = ["kind", "college", "size_class", "region", "country"]
    search_fields = ["name", "legal_name", "siren", "siret", "slug"]
    autocomplete_fields = ["parent_group", "competences"]
    readonly_fields = ["slug", "college", "size_class", "visibility", "created_at", "updated_at"]
    inlines = [FiguresInline, MembershipInline]
    fieldsets = [
        (LABELS["identity"], {"fields": [
            "legal_name", "name", "slug", "kind", "legal_form", "siren", "siret", "vat_number",
            "parent_group", "founded_year", "nace_code",
        ]}),
        (LABELS["address"], {"fields": [
            "street", "postcode", "city", "region", "country", "latitude", "longitude",
        ]}),
        (LABELS["profile"], {"fields": [
            "website", "email", "phone", "logo", "description_fr", "description_en", "competences",
        ]}),
        (LABELS["derived"], {"fields": [
            "college", "college_override", "size_class", "visibility", "created_at", "updated_at",
        ]}),
    ]  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = [*EDITABLE_FIELDS, *STAFF_ONLY_FIELDS, "competences"]
        if change:
            data = self.changed(form, fields)
        else:
            data = {f: form.cleaned_data[f] for f in fields if f in form.cleaned_data}
        if "logo" in data:  # as a file field's form data: None keeps, False clears
            if data["logo"] is None:
                del data["logo"]
            elif data["logo"] is False:
                data["logo"] = ""
        if change:
            saved = services.organisation_update(actor=request.user, organisation=obj, data=data)
        else:
            saved = services.organisation_create(actor=request.user, data=data, as_admin=False)
        self.adopt(obj, saved)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Competences were saved by the service, with the rest; the inlines are read-only."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(OrganisationFigures)
class FiguresAdmin(StaffAdmin):
    list_display = ["organisation", "year", "headcount", "turnover", "export_share", "size_class"]
    list_filter = ["year", "size_class"]
    search_fields = ["organisation__name", "organisation__legal_name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["size_class", "declared_by", "created_at", "updated_at"]
    list_select_related = ["organisation"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fixed = ["organisation", "year"] if obj is not None else []
        return [*fixed, *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.figures_declare(
            actor=request.user,
            organisation=obj.organisation,
            year=obj.year,
            headcount=data["headcount"],
            turnover=data["turnover"],
            export_share=data["export_share"],
            rnd_spend=data["rnd_spend"],
            balance_sheet=data.get("balance_sheet"),
        )
        self.adopt(obj, saved)


# --- People ---------------------------------------------------------------------------------


class AffiliationInline(ReadOnlyInline):
    model = Affiliation
    fk_name = "person"
    fields = readonly_fields = ("organisation", "role", "is_admin", "status", "start", "end")


@admin.register(Person)
class PersonAdmin(StaffAdmin):
    list_display = ["last_name", "first_name", "email", "job_title", "language", "user"]
    list_filter = ["language"]
    search_fields = ["last_name", "first_name", "email", "user__email"]
    readonly_fields = ["user", "competences", "visibility", "created_at", "updated_at"]
    list_select_related = ["user"]
    inlines = [AffiliationInline]
    fields = [*PERSON_FIELDS, "competences", "user", "visibility", "created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            saved = services.person_update(
                actor=request.user, person=obj, data=self.changed(form, PERSON_FIELDS)
            )
        else:
            data = {f: form.cleaned_data[f] for f in PERSON_FIELDS if f in form.cleaned_data}
            saved = services.person_create(actor=request.user, data=data)
        self.adopt(obj, saved)


class AffiliationAdminForm(forms.ModelForm):
    class Meta:
        model = Affiliation
        fields = ["person", "organisation", "role", "is_admin", "start", "end"]


@admin.register(Affiliation)
class AffiliationAdmin(StaffAdmin):
    form = AffiliationAdminForm
    list_display = ["person", "organisation", "role", "is_admin", "status", "start", "end"]
    list_filter = ["status", "role", "is_admin"]
    search_fields = [
        "person__last_name", "person__first_name", "person__email", "organisation__name",
    ]  # fmt: skip
    autocomplete_fields = ["person", "organisation"]
    list_select_related = ["person", "organisation"]
    actions = [support.confirm_affiliations, support.refuse_affiliations]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["status"]
        return ["person", "organisation", "role", "status", "start", "created_at"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["person", "organisation", "role", "is_admin", "start"]
        return ["person", "organisation", "role", "status", "start", "is_admin", "end"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            saved = services.affiliation_create(
                actor=request.user, person=data["person"], organisation=data["organisation"],
                role=data["role"], is_admin=data["is_admin"], start=data["start"],
            )  # fmt: skip
            self.adopt(obj, saved)
            return
        current = Affiliation.objects.get(pk=obj.pk)
        if "is_admin" in form.changed_data:
            current = services.affiliation_set_admin(
                actor=request.user, affiliation=current, is_admin=data["is_admin"]
            )
        if "end" in form.changed_data and data.get("end"):
            current = services.affiliation_end(
                actor=request.user, affiliation=current, end=data["end"]
            )
        self.adopt(obj, current)


class ConsentAdminForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["person", "channel", "granted"]


@admin.register(Consent)
class ConsentAdmin(StaffAdmin):
    """Consents are a log: staff add a decision they received (by mail, on paper), never edit."""

    form = ConsentAdminForm
    list_display = ["person", "channel", "granted", "at", "source"]
    list_filter = ["channel", "granted", "source"]
    search_fields = ["person__last_name", "person__first_name", "person__email"]
    autocomplete_fields = ["person"]
    list_select_related = ["person"]
    date_hierarchy = "at"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.consent_record(
            person=data["person"], channel=data["channel"], granted=data["granted"],
            source=ConsentSource.STAFF,
        )  # fmt: skip
        self.adopt(obj, saved)


# --- Memberships and invoices --------------------------------------------------------------


@admin.register(Membership)
class MembershipAdmin(StaffAdmin):
    """Read-only: memberships move through the workflow's actions, each one a service."""

    list_display = [
        "organisation", "year", "status", "college", "fee", "months", "applied_at", "invoice_number",
    ]  # fmt: skip
    list_filter = ["year", "status", "college", "decision_body"]
    search_fields = ["organisation__name", "organisation__legal_name", "organisation__siren"]
    list_select_related = ["organisation", "invoice"]
    actions = [
        support.approve_memberships, support.refuse_memberships, support.activate_memberships,
        support.end_memberships, support.renew_memberships,
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["organisation", "year", "status", "start", "end", "renewal_of", "link"]}),
        (LABELS["dues"], {"fields": ["college", "band_label", "fee_full", "months", "fee"]}),
        (LABELS["decision"], {"fields": [
            "applied_by", "applied_at", "motivation", "decided_at", "decided_by", "decision_body",
            "decision_note",
        ]}),
        (LABELS["ending"], {"fields": ["ended_at", "end_reason"]}),
    ]  # fmt: skip
    readonly_fields = [f for _title, opts in fieldsets for f in opts["fields"]]  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=LABELS["invoice"])
    def invoice_number(self, obj: Membership) -> str:
        invoice = getattr(obj, "invoice", None)
        return invoice.number if invoice else "—"

    @admin.display(description=LABELS["open_backoffice"])
    def link(self, obj: Membership) -> str:
        url = reverse("backoffice:membership", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, LABELS["open_backoffice"])


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    """Invoices are legal documents: never edited; payments are recorded by an action."""

    list_display = [
        "number", "organisation", "issued_on", "due_on", "amount_net", "vat_amount",
        "amount_gross", "status", "paid_on",
    ]  # fmt: skip
    list_filter = ["status", "vat_rate"]
    date_hierarchy = "issued_on"
    search_fields = [
        "number",
        "organisation__name",
        "organisation__legal_name",
        "payment_reference",
    ]
    list_select_related = ["organisation"]
    actions = [support.mark_invoices_paid, support.cancel_invoices]
    fieldsets = [
        (None, {"fields": ["number", "membership", "organisation", "label", "pdf"]}),
        (LABELS["dates"], {"fields": ["issued_on", "due_on"]}),
        (LABELS["amounts"], {"fields": ["amount_net", "vat_rate", "vat_amount", "amount_gross"]}),
        (LABELS["payment"], {"fields": ["status", "paid_on", "payment_reference"]}),
        (LABELS["parties"], {"fields": ["seller", "buyer"]}),
    ]
    readonly_fields = [f for _title, opts in fieldsets for f in opts["fields"]]  # type: ignore[misc]

    @admin.display(description=LABELS["pdf"])
    def pdf(self, obj: Invoice) -> str:
        url = reverse("backoffice:invoice_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}.pdf</a>', url, obj.number)


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    """Credit notes are legal documents too: issued by the invoices' cancel action, never edited."""

    list_display = ["number", "invoice", "issued_on", "amount_gross", "reason"]
    date_hierarchy = "issued_on"
    search_fields = ["number", "invoice__number", "invoice__organisation__name", "reason"]
    list_select_related = ["invoice"]
    fieldsets = [
        (None, {"fields": ["number", "invoice", "issued_on", "reason", "pdf"]}),
        (LABELS["amounts"], {"fields": ["amount_net", "vat_rate", "vat_amount", "amount_gross"]}),
        (LABELS["parties"], {"fields": ["seller", "buyer"]}),
    ]
    readonly_fields = [f for _title, opts in fieldsets for f in opts["fields"]]  # type: ignore[misc]

    @admin.display(description=LABELS["pdf"])
    def pdf(self, obj: CreditNote) -> str:
        url = reverse("backoffice:credit_note_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}.pdf</a>', url, obj.number)


@admin.register(CreditNoteCounter)
class CreditNoteCounterAdmin(ReadOnlyAdmin):
    list_display = ["year", "last"]


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(ReadOnlyAdmin):
    list_display = ["year", "last"]


class FeeBandInline(ReadOnlyInline):
    model = FeeBand
    fields = readonly_fields = ("college", "basis", "minimum", "maximum", "amount")
    show_change_link = False


class FeeScheduleForm(forms.ModelForm):
    class Meta:
        model = FeeSchedule
        fields = ["year", "vat_rate", "notes"]


@admin.register(FeeSchedule)
class FeeScheduleAdmin(StaffAdmin):
    """Bands are edited collège by collège in the back office, where they are checked whole."""

    form = FeeScheduleForm
    list_display = ["year", "vat_rate", "bands_link"]
    search_fields = ["year"]
    inlines = [FeeBandInline]
    actions = [support.copy_schedules]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["year", "bands_link"] if obj is not None else []

    @admin.display(description=LABELS["bands"])
    def bands_link(self, obj: FeeSchedule) -> str:
        url = reverse("backoffice:schedule", args=[obj.year])
        return format_html('<a href="{}">{}</a>', url, LABELS["bands"])

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            saved = fee_schedule_update(
                actor=request.user, schedule=obj, vat_rate=data["vat_rate"], notes=data["notes"]
            )
        else:
            saved = fee_schedule_create(
                actor=request.user, year=data["year"], vat_rate=data["vat_rate"],
                notes=data["notes"],
            )  # fmt: skip
        self.adopt(obj, saved)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The bands inline is read-only: nothing to save beside the schedule."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(FeeBand)
class FeeBandAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "college", "basis", "minimum", "maximum", "amount"]
    list_filter = ["schedule__year", "college", "basis"]
    list_select_related = ["schedule"]


@admin.register(ClusterProfile)
class ClusterProfileAdmin(StaffAdmin):
    list_display = ["name", "legal_name", "city", "siret", "vat_number"]
    fields = list(CLUSTER_PROFILE_FIELDS)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request) and not ClusterProfile.objects.exists()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = {f: form.cleaned_data[f] for f in CLUSTER_PROFILE_FIELDS}
        self.adopt(obj, cluster_profile_update(actor=request.user, data=data))


class FieldPolicyForm(forms.ModelForm):
    field = forms.ChoiceField(choices=[(f, f) for f in ORGANISATION_FIELDS])

    class Meta:
        model = FieldPolicy
        fields = ["field", "default", "most_open"]


@admin.register(FieldPolicy)
class FieldPolicyAdmin(StaffAdmin):
    form = FieldPolicyForm
    list_display = ["field", "default", "most_open"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["field"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = field_policy_set(
            actor=request.user, field=obj.field, default=data["default"],
            most_open=data["most_open"],
        )  # fmt: skip
        self.adopt(obj, saved)


# --- Taxonomy (loaded from the shipped data by `taxonomy_load`) -----------------------------


@admin.register(TaxonomyVersion)
class TaxonomyVersionAdmin(ReadOnlyAdmin):
    list_display = ["code", "is_current", "published_at"]
    search_fields = ["code"]


@admin.register(Competence)
class CompetenceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_fr", "name_en", "facet", "version", "is_active"]
    list_filter = ["facet", "version", "is_active"]
    search_fields = ["code", "name_fr", "name_en", "keywords"]
    list_select_related = ["version"]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """Autocomplete fields offer only the current taxonomy's competences."""
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(version__is_current=True, is_active=True)
        return super().get_search_results(request, queryset, search_term)
