"""Name badges to print: name, organisation, ticket, event, and the ticket's QR code.

Eight badges (90 × 62 mm) per A4 page with cut marks, or one A6 badge per page. WeasyPrint
renders the HTML; only the DejaVu and Liberation fonts are installed on the servers."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from grappe.core.qr import qr_svg
from grappe.events.models import Event, Registration
from grappe.events.services.tickets import ticket_token

PER_A4_PAGE = 8
LAYOUTS = {"a4", "a6"}


def _qr_data_uri(registration: Registration) -> str:
    svg = qr_svg(ticket_token(registration))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def badge_pages(registrations: Sequence[Registration], layout: str) -> list[list[dict[str, Any]]]:
    """The badges grouped by printed page."""
    badges = [{"registration": r, "qr": _qr_data_uri(r)} for r in registrations]
    size = PER_A4_PAGE if layout == "a4" else 1
    return [badges[i : i + size] for i in range(0, len(badges), size)]


def badges_document(
    event: Event, registrations: Sequence[Registration], *, layout: str = "a4",
    language: str = "fr",
) -> Any:  # fmt: skip
    """The laid-out badges (a WeasyPrint document: its `pages`, `write_pdf()`)."""
    from weasyprint import HTML

    layout = layout if layout in LAYOUTS else "a4"
    with translation.override(language):
        html = render_to_string(
            "events/staff/badges_pdf.html",
            {"event": event, "pages": badge_pages(registrations, layout), "layout": layout,
             "LANGUAGE_CODE": language},
        )  # fmt: skip
    return HTML(string=html).render()


def badges_pdf(
    event: Event, registrations: Sequence[Registration], *, layout: str = "a4",
    language: str = "fr",
) -> bytes:  # fmt: skip
    """The PDF of the badges of `registrations` (fetched with person, organisation, ticket)."""
    document = badges_document(event, registrations, layout=layout, language=language)
    return document.write_pdf()  # type: ignore[no-any-return]
