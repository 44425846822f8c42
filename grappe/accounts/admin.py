"""Logins in the Django admin: the e-mail address is the login (there is no username); every
change goes through an audited service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.http import HttpRequest

from grappe.accounts.models import ApiToken, User
from grappe.backoffice import admin_support as support
from grappe.backoffice.admin_support import LABELS, ReadOnlyAdmin
from grappe.backoffice.permissions import can_grant_superuser, can_manage_users
from grappe.backoffice.services import USER_FIELDS, user_create, user_update


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "language"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = [
        "email", "first_name", "last_name", "is_staff", "is_expert", "is_active", "last_login",
    ]  # fmt: skip
    list_filter = ["is_staff", "is_expert", "is_superuser", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined"]
    actions = [support.make_experts, support.withdraw_experts]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (LABELS["identity"], {"fields": ["first_name", "last_name", "language"]}),
        (LABELS["roles"], {"fields": ["is_active", "is_staff", "is_expert", "is_superuser"]}),
        (LABELS["dates"], {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {
            "classes": ["wide"],
            "fields": [
                "email", "first_name", "last_name", "language", "usable_password", "password1",
                "password2",
            ],
        }),
    ]  # fmt: skip

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_manage_users(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_users(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_manage_users(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_users(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Logins are deactivated, not deleted: the audit trail names who did what."""
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(self.readonly_fields)
        if not can_grant_superuser(request.user):
            fields.append("is_superuser")
        return fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in USER_FIELDS}
        if change:
            saved = user_update(actor=request.user, user=obj, data=data)
        else:
            usable = form.cleaned_data.get("usable_password") != "false"
            password = form.cleaned_data.get("password1") if usable else None
            data.pop("email", None)
            saved = user_create(
                actor=request.user, email=form.cleaned_data["email"], password=password, data=data
            )
        obj.__dict__.update(saved.__dict__)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Grappe's roles are the flags above; Django's groups and permissions are not used."""


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are made by their owners; staff may revoke a leaked one."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = [support.revoke_tokens]


# Grappe's roles are flags on the login (staff, expert) and affiliations; groups are unused.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
