"""What "My space" shows of the events app (the dashboard view belongs to core)."""

from __future__ import annotations

from typing import Any

from django import template

from grappe.events.models import Registration
from grappe.events.selectors.registrations import upcoming_registrations

register = template.Library()


@register.simple_tag(takes_context=True)
def my_upcoming_registrations(context: Any) -> list[Registration]:
    """The viewer's own active registrations for events to come."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return upcoming_registrations(user)
