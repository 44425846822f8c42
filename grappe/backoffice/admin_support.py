"""What the Django admin of every app shares: staff rights, read-only models, and the admin
actions that run the same services as the back office (forms included)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from grappe.backoffice.forms import (
    ApproveForm,
    CancelInvoiceForm,
    EndForm,
    MarkPaidForm,
    RefuseForm,
)
from grappe.core.permissions import is_staff

# What an action reports, singular or plural after the number of rows it changed.
DONE = {
    "admitted": ngettext_lazy(
        "%(count)s application admitted.", "%(count)s applications admitted.", "count"
    ),
    "refused": ngettext_lazy(
        "%(count)s application refused.", "%(count)s applications refused.", "count"
    ),
    "activated": ngettext_lazy(
        "%(count)s membership activated.", "%(count)s memberships activated.", "count"
    ),
    "ended": ngettext_lazy("%(count)s membership ended.", "%(count)s memberships ended.", "count"),
    "renewed": ngettext_lazy(
        "%(count)s membership renewed.", "%(count)s memberships renewed.", "count"
    ),
    "paid": ngettext_lazy(
        "%(count)s invoice marked paid.", "%(count)s invoices marked paid.", "count"
    ),
    "cancelled": ngettext_lazy(
        "%(count)s invoice cancelled by a credit note.",
        "%(count)s invoices cancelled by credit notes.",
        "count",
    ),
    "confirmed": ngettext_lazy(
        "%(count)s request confirmed.", "%(count)s requests confirmed.", "count"
    ),
    "requests_refused": ngettext_lazy(
        "%(count)s request refused.", "%(count)s requests refused.", "count"
    ),
    "copied": ngettext_lazy("%(count)s schedule copied.", "%(count)s schedules copied.", "count"),
    "experts": ngettext_lazy(
        "%(count)s user is an expert.", "%(count)s users are experts.", "count"
    ),
    "not_experts": ngettext_lazy(
        "%(count)s user is no longer an expert.", "%(count)s users are no longer experts.", "count"
    ),
    "revoked": ngettext_lazy("%(count)s token revoked.", "%(count)s tokens revoked.", "count"),
}


class StaffAdmin(admin.ModelAdmin):
    """Cluster staff have full rights in the admin; nothing is deleted from it (the audit
    trail and the invoices refer to the rows), state changes go through the services."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_staff(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # what people type: www.example.fr
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changed(self, form: forms.ModelForm, fields: list[str]) -> dict[str, Any]:
        """The cleaned values of the form's changed fields among `fields`."""
        return {f: form.cleaned_data[f] for f in form.changed_data if f in fields}

    def adopt(self, obj: Any, saved: Any) -> None:
        """Let the admin carry on (log entry, redirect) with the row the service wrote."""
        obj.__dict__.update(saved.__dict__)


class ReadOnlyAdmin(StaffAdmin):
    """Rows written only by the services (or loaded from data): staff look, never edit."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff(request.user)


def run_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    apply: Callable[[Any], Any],
    done_message: Any,
) -> None:
    """Apply a service to each selected row; report successes and each refusal by name."""
    done = 0
    for obj in queryset:
        try:
            apply(obj)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [])) or _("not allowed")
            modeladmin.message_user(request, f"{obj}: {reason}", messages.ERROR)
        else:
            done += 1
    if done:
        # `done_message` is an ngettext_lazy(..., "count"): singular or plural follows `done`.
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def form_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    form_class: type[forms.Form],
    title: str,
    button: str,
    apply: Callable[[Any, forms.Form], Any],
    done_message: Any,
) -> TemplateResponse | None:
    """An admin action that first asks for its details (date, reason...) on its own page."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        run_each(modeladmin, request, queryset, lambda obj: apply(obj, form), done_message)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "button": button,
        "form": form,
        "objects": queryset,
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action", ""),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "backoffice/admin/action_form.html", context)


# --- Membership workflow ---------------------------------------------------------------------


@admin.action(description=gettext_lazy("Admit the selected applications"))
def approve_memberships(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    from grappe.members.services import membership_approve

    def apply(membership: Any, form: Any) -> Any:
        return membership_approve(
            actor=request.user,
            membership=membership,
            body=form.cleaned_data["body"],
            note=form.cleaned_data["note"],
            decided_at=form.decided_at(),
        )

    return form_action(
        modeladmin, request, queryset, form_class=ApproveForm,
        title=_("Admit the selected applications"), button=_("Admit and send the invoices"),
        apply=apply, done_message=DONE["admitted"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Refuse the selected applications"))
def refuse_memberships(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    from grappe.members.services import membership_refuse

    def apply(membership: Any, form: Any) -> Any:
        return membership_refuse(
            actor=request.user, membership=membership, note=form.cleaned_data["reason"]
        )

    return form_action(
        modeladmin, request, queryset, form_class=RefuseForm,
        title=_("Refuse the selected applications"), button=_("Refuse"),
        apply=apply, done_message=DONE["refused"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Activate the selected memberships"))
def activate_memberships(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from grappe.members.services import membership_activate

    run_each(
        modeladmin, request, queryset,
        lambda m: membership_activate(actor=request.user, membership=m),
        DONE["activated"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("End the selected memberships"))
def end_memberships(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    from grappe.members.services import membership_end

    def apply(membership: Any, form: Any) -> Any:
        return membership_end(
            actor=request.user, membership=membership, status=form.cleaned_data["status"],
            on=form.cleaned_data["on"], reason=form.cleaned_data["reason"],
        )  # fmt: skip

    return form_action(
        modeladmin, request, queryset, form_class=EndForm,
        title=_("End the selected memberships"), button=_("End the memberships"),
        apply=apply, done_message=DONE["ended"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Renew the selected memberships into the next year"))
def renew_memberships(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from grappe.members.services import membership_renew

    run_each(
        modeladmin, request, queryset,
        lambda m: membership_renew(actor=request.user, membership=m),
        DONE["renewed"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Record the payment of the selected invoices"))
def mark_invoices_paid(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    from grappe.members.services import invoice_mark_paid

    def apply(invoice: Any, form: Any) -> Any:
        return invoice_mark_paid(
            actor=request.user, invoice=invoice, paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
        )  # fmt: skip

    return form_action(
        modeladmin, request, queryset, form_class=MarkPaidForm,
        title=_("Record the payment of the selected invoices"), button=_("Record the payment"),
        apply=apply, done_message=DONE["paid"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Cancel the selected invoices with credit notes"))
def cancel_invoices(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    from grappe.members.services import invoice_cancel

    def apply(invoice: Any, form: Any) -> Any:
        return invoice_cancel(
            actor=request.user, invoice=invoice, reason=form.cleaned_data["reason"],
            issued_on=form.cleaned_data["issued_on"],
        )  # fmt: skip

    return form_action(
        modeladmin, request, queryset, form_class=CancelInvoiceForm,
        title=_("Cancel the selected invoices with credit notes"),
        button=_("Cancel with credit notes"), apply=apply, done_message=DONE["cancelled"],
    )  # fmt: skip


# --- People, schedules, logins -------------------------------------------------------------


@admin.action(description=gettext_lazy("Confirm the selected requests to join"))
def confirm_affiliations(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from grappe.members.services import affiliation_confirm

    run_each(
        modeladmin, request, queryset,
        lambda a: affiliation_confirm(actor=request.user, affiliation=a),
        DONE["confirmed"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Refuse the selected requests to join"))
def refuse_affiliations(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from grappe.members.services import affiliation_refuse

    run_each(
        modeladmin, request, queryset,
        lambda a: affiliation_refuse(actor=request.user, affiliation=a),
        DONE["requests_refused"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Copy the selected schedules to the next year"))
def copy_schedules(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from grappe.backoffice.services import fee_schedule_copy

    run_each(
        modeladmin, request, queryset,
        lambda s: fee_schedule_copy(actor=request.user, year=s.year),
        DONE["copied"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Make the selected users experts"))
def make_experts(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from grappe.backoffice.services import user_set_expert

    run_each(
        modeladmin, request, queryset,
        lambda u: user_set_expert(actor=request.user, user=u, is_expert=True),
        DONE["experts"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Withdraw the expert role of the selected users"))
def withdraw_experts(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from grappe.backoffice.services import user_set_expert

    run_each(
        modeladmin, request, queryset,
        lambda u: user_set_expert(actor=request.user, user=u, is_expert=False),
        DONE["not_experts"],
    )  # fmt: skip


@admin.action(description=gettext_lazy("Revoke the selected API tokens"))
def revoke_tokens(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from grappe.accounts.tokens import api_token_revoke

    run_each(
        modeladmin, request, queryset,
        lambda t: api_token_revoke(actor=request.user, token=t),
        DONE["revoked"],
    )  # fmt: skip


# Labels the admins of other apps show (kept here so that this app's catalogue holds them).
LABELS = {
    "invoice": gettext_lazy("invoice"),
    "pdf": gettext_lazy("PDF"),
    "bands": gettext_lazy("Edit the bands in the back office"),
    "workflow": gettext_lazy("Workflow"),
    "decision": gettext_lazy("Decision"),
    "dues": gettext_lazy("Dues"),
    "ending": gettext_lazy("Ending"),
    "identity": gettext_lazy("Identity"),
    "address": gettext_lazy("Address"),
    "profile": gettext_lazy("Profile"),
    "derived": gettext_lazy("Derived by the platform"),
    "roles": gettext_lazy("Roles"),
    "dates": gettext_lazy("Dates"),
    "login": gettext_lazy("Login"),
    "changes": gettext_lazy("Changes"),
    "object": gettext_lazy("Object"),
    "payment": gettext_lazy("Payment"),
    "amounts": gettext_lazy("Amounts"),
    "parties": gettext_lazy("Seller and buyer"),
    "open_backoffice": gettext_lazy("Open in the back office"),
}
