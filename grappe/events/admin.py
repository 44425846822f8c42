"""The Django admin for events: every model is here. Edits go through the same services as the
staff pages (with their checks and audit rows); statuses change only by admin actions that
call the workflow's services; registrations, mails and applications are read-only records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from grappe.backoffice.admin_support import (
    ReadOnlyAdmin,
    ReadOnlyInline,
    StaffAdmin,
    form_action,
    run_each,
)
from grappe.backoffice.forms import RefuseForm
from grappe.events.forms import CancelEventForm, RegistrationCancelForm
from grappe.events.models import (
    Booth,
    Event,
    EventMailing,
    ExhibitorApplication,
    Mission,
    MissionApplication,
    MissionApplicationStatus,
    Pavilion,
    Price,
    ProgrammeItem,
    Question,
    Registration,
    TicketCategory,
)
from grappe.events.services import events as services
from grappe.events.services import fairs, missions
from grappe.events.services.events import (
    EVENT_FIELDS,
    EVENT_RELATIONS,
    PRICE_FIELDS,
    PROGRAMME_FIELDS,
    QUESTION_FIELDS,
    TICKET_FIELDS,
)

DONE = {
    "published": ngettext_lazy(
        "%(count)s event published.", "%(count)s events published.", "count"
    ),
    "cancelled": ngettext_lazy(
        "%(count)s event cancelled.", "%(count)s events cancelled.", "count"
    ),
    "registrations": ngettext_lazy(
        "%(count)s registration cancelled.", "%(count)s registrations cancelled.", "count"
    ),
    "refused": ngettext_lazy(
        "%(count)s application refused.", "%(count)s applications refused.", "count"
    ),
    "decided": ngettext_lazy(
        "%(count)s application decided.", "%(count)s applications decided.", "count"
    ),
}
OPEN_STAFF_PAGE = gettext_lazy("Open the staff page")


def _staff_link(url: str) -> str:
    return format_html('<a href="{}">{}</a>', url, OPEN_STAFF_PAGE)


class ServiceAdmin(StaffAdmin):
    """Create and change rows through `create` and `update` services taking `data`."""

    service_fields: list[str] = []

    def service_data(self, form: forms.ModelForm, change: bool) -> dict[str, Any]:
        if change:
            return self.changed(form, self.service_fields)
        return {f: form.cleaned_data[f] for f in self.service_fields if f in form.cleaned_data}

    def create(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = self.service_data(form, change)
        saved = self.update(request, obj, data) if change else self.create(request, obj, data)
        self.adopt(obj, saved)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Relations were saved by the service; the inlines are read-only."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# --- Events ----------------------------------------------------------------------------------


class TicketInline(ReadOnlyInline):
    model = TicketCategory
    fields = readonly_fields = ("category", "name_fr", "capacity", "invitation_only")


class ProgrammeInline(ReadOnlyInline):
    model = ProgrammeItem
    fields = readonly_fields = ("starts_at", "kind", "title_fr", "place")


@admin.action(description=gettext_lazy("Publish the selected events"))
def publish_events(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    run_each(
        modeladmin, request, queryset,
        lambda event: services.event_publish(actor=request.user, event=event),
        DONE["published"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Cancel the selected events and tell the registrants"))
def cancel_events(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    from grappe.events.services.registrations import event_cancel

    return form_action(
        modeladmin, request, queryset, form_class=CancelEventForm,
        title=_("Cancel the selected events"), button=_("Cancel the events"),
        apply=lambda event, form: event_cancel(
            actor=request.user, event=event, reason=form.cleaned_data["reason"]
        ),
        done_message=DONE["cancelled"],
    )  # fmt: skip


@admin.register(Event)
class EventAdmin(ServiceAdmin):
    list_display = ["title_fr", "kind", "status", "starts_at", "city", "capacity", "visibility"]
    list_filter = ["status", "kind", "visibility", "pricing_basis"]
    search_fields = ["title_fr", "title_en", "slug", "city", "venue_name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["organiser", "partners", "competences"]
    inlines = [TicketInline, ProgrammeInline]
    actions = [publish_events, cancel_events]
    service_fields = [*EVENT_FIELDS, *EVENT_RELATIONS]
    fields = [
        *EVENT_FIELDS, *EVENT_RELATIONS, "status", "published_at", "cancelled_at",
        "cancel_reason", "created_by", "link",
    ]  # fmt: skip
    readonly_fields = [
        "status", "published_at", "cancelled_at", "cancel_reason", "created_by", "link",
    ]  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("organiser")

    def service_data(self, form: forms.ModelForm, change: bool) -> dict[str, Any]:
        data = super().service_data(form, change)
        if "image" in data and data["image"] is False:
            data["image"] = ""
        return data

    def create(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.event_create(actor=request.user, data=data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.event_update(actor=request.user, event=obj, data=data)

    @admin.display(description=OPEN_STAFF_PAGE)
    def link(self, obj: Event) -> str:
        return _staff_link(reverse("events_staff:detail", args=[obj.pk])) if obj.pk else "—"


@admin.register(TicketCategory)
class TicketCategoryAdmin(ServiceAdmin):
    list_display = ["event", "category", "name_fr", "capacity", "invitation_only", "position"]
    list_filter = ["category", "invitation_only"]
    search_fields = ["event__title_fr", "name_fr", "name_en"]
    autocomplete_fields = ["event"]
    list_select_related = ["event"]
    service_fields = TICKET_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["event"] if obj is not None else []

    def create(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.ticket_create(actor=request.user, event=obj.event, data=data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.ticket_update(actor=request.user, ticket=obj, data=data)


@admin.register(Price)
class PriceAdmin(ServiceAdmin):
    list_display = ["ticket", "label_fr", "amount", "vat_rate", "valid_from", "valid_until"]
    search_fields = ["ticket__event__title_fr", "label_fr"]
    autocomplete_fields = ["ticket"]
    list_select_related = ["ticket__event"]
    service_fields = PRICE_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["ticket"] if obj is not None else []

    def create(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.price_create(actor=request.user, ticket=obj.ticket, data=data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.price_update(actor=request.user, price=obj, data=data)


@admin.register(Question)
class QuestionAdmin(ServiceAdmin):
    list_display = ["event", "label_fr", "kind", "required", "position"]
    list_filter = ["kind", "required"]
    search_fields = ["event__title_fr", "label_fr", "label_en"]
    autocomplete_fields = ["event"]
    list_select_related = ["event"]
    service_fields = QUESTION_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["event"] if obj is not None else []

    def create(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.question_create(actor=request.user, event=obj.event, data=data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.question_update(actor=request.user, question=obj, data=data)


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(ServiceAdmin):
    list_display = ["event", "starts_at", "kind", "title_fr", "place"]
    list_filter = ["kind"]
    search_fields = ["event__title_fr", "title_fr", "speaker"]
    autocomplete_fields = ["event", "host"]
    list_select_related = ["event"]
    service_fields = PROGRAMME_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["event"] if obj is not None else []

    def create(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.programme_item_create(actor=request.user, event=obj.event, data=data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.programme_item_update(actor=request.user, item=obj, data=data)


@admin.register(EventMailing)
class EventMailingAdmin(ReadOnlyAdmin):
    """A record of what staff sent; mails are written on the event's staff page."""

    list_display = ["subject", "event", "audience", "recipients", "sent_at", "sent_by"]
    list_filter = ["audience"]
    search_fields = ["subject", "event__title_fr"]
    list_select_related = ["event", "sent_by"]
    date_hierarchy = "sent_at"


@admin.action(description=gettext_lazy("Cancel the selected registrations"))
def cancel_registrations(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    from grappe.events.services.registrations import registration_cancel

    return form_action(
        modeladmin, request, queryset, form_class=RegistrationCancelForm,
        title=_("Cancel the selected registrations"), button=_("Cancel the registrations"),
        apply=lambda registration, form: registration_cancel(
            actor=request.user, registration=registration, reason=form.cleaned_data["reason"]
        ),
        done_message=DONE["registrations"],
    )  # fmt: skip


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Registrations are made and cancelled by the registration services only."""

    list_display = [
        "person", "event", "ticket", "status", "amount", "code", "created_at", "checked_in_at",
    ]  # fmt: skip
    list_filter = ["status", "ticket__category"]
    search_fields = [
        "code", "person__last_name", "person__first_name", "person__email", "event__title_fr",
        "organisation__name",
    ]  # fmt: skip
    list_select_related = ["person", "event", "ticket"]
    date_hierarchy = "created_at"
    actions = [cancel_registrations]


# --- Trade fairs ----------------------------------------------------------------------------


class BoothInline(ReadOnlyInline):
    model = Booth
    fields = readonly_fields = ("label", "area_m2", "pricing", "unit_price", "corner")


@admin.register(Pavilion)
class PavilionAdmin(ServiceAdmin):
    list_display = [
        "name",
        "event",
        "hall",
        "total_area_m2",
        "cluster_share",
        "application_deadline",
    ]  # noqa: E501
    search_fields = ["name", "event__title_fr"]
    autocomplete_fields = ["event"]
    list_select_related = ["event"]
    inlines = [BoothInline]
    service_fields = fairs.PAVILION_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["event"] if obj is not None else []

    def create(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return fairs.pavilion_save(actor=request.user, event=obj.event, data=data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return fairs.pavilion_save(actor=request.user, event=obj.event, data=data)


@admin.register(Booth)
class BoothAdmin(ServiceAdmin):
    list_display = [
        "label",
        "pavilion",
        "area_m2",
        "pricing",
        "unit_price",
        "cluster_share",
        "corner",
    ]  # noqa: E501
    search_fields = ["label", "pavilion__name"]
    autocomplete_fields = ["pavilion"]
    list_select_related = ["pavilion"]
    service_fields = fairs.BOOTH_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["pavilion"] if obj is not None else []

    def create(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return fairs.booth_create(actor=request.user, pavilion=obj.pavilion, data=data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return fairs.booth_update(actor=request.user, booth=obj, data=data)


@admin.action(description=gettext_lazy("Refuse the selected applications"))
def refuse_exhibitors(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return form_action(
        modeladmin, request, queryset, form_class=RefuseForm,
        title=_("Refuse the selected applications"), button=_("Refuse"),
        apply=lambda application, form: fairs.exhibitor_refuse(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        ),
        done_message=DONE["refused"],
    )  # fmt: skip


@admin.register(ExhibitorApplication)
class ExhibitorApplicationAdmin(ReadOnlyAdmin):
    """Booths are allocated on the pavilion's staff page (choosing among the free booths)."""

    list_display = ["organisation", "pavilion", "status", "booth", "applicant", "created_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "pavilion__name", "applicant__last_name"]
    list_select_related = ["organisation", "pavilion", "booth", "applicant"]
    actions = [refuse_exhibitors]
    readonly_fields = ["link"]

    @admin.display(description=OPEN_STAFF_PAGE)
    def link(self, obj: ExhibitorApplication) -> str:
        url = reverse("events_staff:exhibitor", args=[obj.pavilion.event_id, obj.pk])
        return _staff_link(url)


# --- Trade missions -------------------------------------------------------------------------


@admin.register(Mission)
class MissionAdmin(ServiceAdmin):
    list_display = ["event", "places", "cost_per_participant", "cofunded_share", "cofunder",
                    "application_deadline"]  # fmt: skip
    search_fields = ["event__title_fr", "cofunder"]
    autocomplete_fields = ["event", "target_markets"]
    list_select_related = ["event"]
    service_fields = [*missions.MISSION_FIELDS, "target_markets"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["event"] if obj is not None else []

    def create(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return missions.mission_save(actor=request.user, event=obj.event, data=data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return missions.mission_save(actor=request.user, event=obj.event, data=data)


def _decide(decision: str) -> Any:
    def apply(application: Any, form: Any, request: HttpRequest) -> Any:
        return missions.mission_decide(
            actor=request.user, application=application, decision=decision,
            reason=form.cleaned_data.get("reason", "") if form is not None else "",
        )  # fmt: skip

    return apply


@admin.action(description=gettext_lazy("Select the chosen applications"))
def select_participants(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    decide = _decide(MissionApplicationStatus.SELECTED)
    run_each(modeladmin, request, queryset, lambda a: decide(a, None, request), DONE["decided"])


@admin.action(description=gettext_lazy("Put the chosen applications on the reserve list"))
def reserve_participants(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    decide = _decide(MissionApplicationStatus.RESERVE)
    return form_action(
        modeladmin, request, queryset, form_class=RefuseForm,
        title=_("Put the chosen applications on the reserve list"), button=_("Reserve list"),
        apply=lambda a, form: decide(a, form, request), done_message=DONE["decided"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Do not select the chosen applications"))
def refuse_participants(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    decide = _decide(MissionApplicationStatus.REFUSED)
    return form_action(
        modeladmin, request, queryset, form_class=RefuseForm,
        title=_("Do not select the chosen applications"), button=_("Not selected"),
        apply=lambda a, form: decide(a, form, request), done_message=DONE["decided"],
    )  # fmt: skip


@admin.register(MissionApplication)
class MissionApplicationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "mission", "person", "status", "cost", "cofunded", "created_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "person__last_name", "mission__event__title_fr"]
    list_select_related = ["organisation", "mission__event", "person"]
    actions = [select_participants, reserve_participants, refuse_participants]
    readonly_fields = ["link"]

    @admin.display(description=OPEN_STAFF_PAGE)
    def link(self, obj: MissionApplication) -> str:
        url = reverse("events_staff:mission_application", args=[obj.mission.event_id, obj.pk])
        return _staff_link(url)
