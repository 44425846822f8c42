from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

register = template.Library()


@register.simple_tag
def audit_url(obj: Any) -> str:
    """The staff page with the audit trail of `obj`."""
    content_type = ContentType.objects.get_for_model(obj.__class__)
    return reverse("core:audit", args=[content_type.pk, obj.pk])


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def query_replace(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination and facets)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
