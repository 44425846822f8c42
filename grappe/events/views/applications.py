"""What the booth and the mission-place application pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grappe.backoffice.forms import apply_errors


def application_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    submit: Callable[[Any, dict[str, Any]], Any],
    back: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """On a valid POST, `submit(organisation, data)` (a service) and go `back` (a URL);
    otherwise show the form, with the service's refusals next to their fields."""
    if request.method == "POST" and form.is_valid():
        try:
            submit(form.cleaned_data["organisation"], form.service_data())  # type: ignore[attr-defined]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Your application is sent; the cluster's team will answer.")
            )
            return redirect(back)
    context = {**context, "form": form}
    return render(request, template, context, status=400 if form.is_bound else 200)
