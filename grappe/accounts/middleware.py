"""Staff must have a second factor (TOTP) before they reach anything but its enrolment."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/media/")


def staff_needs_second_factor(user: object) -> bool:
    if not getattr(settings, "GRAPPE_STAFF_MFA_REQUIRED", True):
        return False
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False)):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(ALLOWED_PREFIXES) and staff_needs_second_factor(
            request.user
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
