"""Template tags of the experts' side: what an expert owes, for the "My space" partial."""

from __future__ import annotations

from typing import Any

from django import template

from grappe.projects.selectors.experts import ExpertDashboard, expert_dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def my_expert_dashboard(context: Any) -> ExpertDashboard | None:
    """The viewer's expert dashboard (None for anyone who is not an expert with a profile)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_expert", False):
        return None
    return expert_dashboard(user)
