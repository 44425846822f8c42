"""Forms of the attendee pages: filtering, registering, cancelling, mails, check-in, badges,
and the year of the statistics."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from grappe.events.forms.base import ModelFieldsForm
from grappe.events.models import Event, EventMailing, RegistrationStatus, TicketCategory
from grappe.members.models import Organisation


class AttendeeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Registered or waiting")), ("all", _("All, cancelled included"))]
        + list(RegistrationStatus.choices)
        + [("checked_in", _("Checked in"))],
    )
    ticket = forms.ModelChoiceField(
        label=_("Ticket"), required=False, queryset=TicketCategory.objects.none()
    )
    q = forms.CharField(label=_("Name, e-mail or organisation"), required=False, max_length=100)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ticket = cast(forms.ModelChoiceField, self.fields["ticket"])
        ticket.queryset = event.tickets.all()
        ticket.empty_label = _("All tickets")


class StaffRegistrationForm(forms.Form):
    """Staff register someone: an existing person found by e-mail, or a new one."""

    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        required=False,
        help_text=_("Needed only for a person not yet known to the platform."),
    )
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    language = forms.ChoiceField(
        label=_("Language of the mails"), choices=[("fr", "Français"), ("en", "English")]
    )
    ticket = forms.ModelChoiceField(label=_("Ticket"), queryset=TicketCategory.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("The organisation the person comes for; it decides the member price."),
    )
    student = forms.BooleanField(label=_("Student"), required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["ticket"]).queryset = event.tickets.all()
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation.queryset = Organisation.objects.order_by("name")


class RegistrationCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the person."),
    )


class MailingForm(ModelFieldsForm):
    model = EventMailing
    model_fields = ["audience", "subject", "body"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["rows"] = 10
        self.fields["body"].help_text = _(
            "Sent as written, each person in one mail; the event's name, date and place are "
            "added below it."
        )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=2000,
        help_text=_("Scan the QR code or type the code printed under it."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class BadgeForm(forms.Form):
    LAYOUTS = [("a4", _("Eight badges per A4 page, with cut marks")), ("a6", _("One A6 badge per page"))]  # fmt: skip
    layout = forms.ChoiceField(label=_("Layout"), choices=LAYOUTS, initial="a4")


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [(y, y) for y in years]
