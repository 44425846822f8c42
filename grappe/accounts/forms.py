from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """Extra fields asked at sign-up; allauth calls `signup` once the user exists."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("fr", "Français"), ("en", "English")]
    )
    newsletter = forms.BooleanField(label=_("Send me the cluster's newsletter"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.utils.translation import get_language

        self.fields["language"].initial = (get_language() or "fr")[:2]

    def signup(self, request: Any, user: Any) -> None:
        from grappe.members.services import person_create_for_user

        person_create_for_user(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            language=self.cleaned_data["language"],
            newsletter=self.cleaned_data["newsletter"],
        )
