"""A person's own account pages under /me/: the API tokens of their scripts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from grappe.accounts.models import ApiToken
from grappe.accounts.tokens import api_token_create, api_token_revoke, api_tokens_of


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “CRM synchronisation”."),
    )


def _page(request: HttpRequest, form: ApiTokenForm, raw_key: str = "", status: int = 200):
    context = {"form": form, "tokens": api_tokens_of(request.user), "raw_key": raw_key}
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List one's tokens; create one (its key is shown on this response only)."""
    if request.method != "POST":
        return _page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        token, raw_key = api_token_create(actor=request.user, name=form.cleaned_data["name"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, form, status=400)
    messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
    # Shown once, in this response; never stored, never put in a redirect or a session.
    response = _page(request, ApiTokenForm(), raw_key=raw_key)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
