"""Small helpers for the back-office templates: status badges and money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

BADGES = {
    "active": "ok", "paid": "ok", "confirmed": "ok",
    "applied": "warn", "approved": "warn", "issued": "warn", "pending": "warn",
    "refused": "bad", "lapsed": "bad", "resigned": "bad", "excluded": "bad", "cancelled": "bad",
}  # fmt: skip


@register.filter
def badge(status: str) -> str:
    """The badge class (ok, warn, bad) for a membership, invoice or affiliation status."""
    return BADGES.get(str(status), "")


@register.filter
def euros(value: Decimal | None) -> str:
    """'1 100,00 €' in French, '1,100.00 €' in English."""
    if value is None or value == "":
        return "—"
    return f"{floatformat(value, '2g')}\xa0€"  # the sign stays with its number


@register.filter
def band_range(band: Any) -> str:
    """'500 000 € to below 2 M€', 'from 10 M€', 'Flat fee'."""
    from grappe.members.services.dues import band_label

    return band_label(band)


SECTIONS = {
    "home": "home",
    "applications": "applications",
    "memberships": "memberships", "membership": "memberships", "membership_end": "memberships",
    "memberships_renew_year": "memberships",
    "invoices": "invoices", "invoice_mark_paid": "invoices",
    "schedules": "dues", "schedule": "dues", "schedule_create": "dues", "schedule_edit": "dues",
    "schedule_copy": "dues", "bands_edit": "dues",
    "organisations": "organisations",
    "people": "people", "person": "people",
    "affiliations": "affiliations",
    "cluster_profile": "cluster",
    "taxonomy": "taxonomy", "taxonomy_version": "taxonomy", "taxonomy_copy": "taxonomy",
    "taxonomy_publish": "taxonomy", "taxonomy_competence_create": "taxonomy",
    "taxonomy_competence_edit": "taxonomy",
}  # fmt: skip


@register.simple_tag(takes_context=True)
def bo_section(context: Any) -> str:
    """The back-office section of the current page, to mark it in the menu."""
    match = getattr(context.get("request"), "resolver_match", None)
    return SECTIONS.get(getattr(match, "url_name", "") or "", "")
