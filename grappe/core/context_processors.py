from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def grappe(request: HttpRequest) -> dict[str, Any]:
    from grappe.members.selectors import user_roles

    return {
        "CLUSTER_NAME": settings.GRAPPE_CLUSTER_NAME,
        "roles": user_roles(request.user),
    }
