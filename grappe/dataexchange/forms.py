from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grappe.dataexchange.models import ImportKind
from grappe.dataexchange.parsing import MAX_BYTES
from grappe.dataexchange.selectors import MEMBER, NONE, ExportFilters
from grappe.members.models import ConsentChannel, MembershipStatus, OrgKind
from grappe.members.regions import REGION_CHOICES

SEPARATORS = [(",", _("comma (standard)")), (";", _("semicolon (French Excel)"))]


def _membership_choices() -> list[tuple[str, Any]]:
    year = timezone.localdate().year
    return [
        ("", _("Any")),
        (MEMBER, _("Member today")),
        *[
            (status, _("Membership %(year)s: %(status)s") % {"year": year, "status": label})
            for status, label in MembershipStatus.choices
        ],
        (NONE, _("No membership in %(year)s") % {"year": year}),
    ]


class OrganisationExportForm(forms.Form):
    membership = forms.ChoiceField(label=_("Membership"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *OrgKind.choices]
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any")), *REGION_CHOICES]
    )
    separator = forms.ChoiceField(
        label=_("CSV separator"), required=False, choices=SEPARATORS, initial=","
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        membership = self.fields["membership"]
        assert isinstance(membership, forms.ChoiceField)
        membership.choices = _membership_choices()

    def filters(self) -> ExportFilters:
        data = self.cleaned_data
        return ExportFilters(
            membership=data.get("membership", ""),
            kind=data.get("kind", ""),
            region=data.get("region", ""),
            consent=data.get("consent", ""),
        )

    @property
    def delimiter(self) -> str:
        return self.cleaned_data.get("separator") or ","


class PeopleExportForm(OrganisationExportForm):
    consent = forms.ChoiceField(
        label=_("Consent given to"),
        required=False,
        choices=[("", _("Any")), *ConsentChannel.choices],
    )
    field_order = ["membership", "kind", "region", "consent", "separator"]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file lists"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        initial=ImportKind.ORGANISATIONS,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-1252, comma or semicolon) or XLSX, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
