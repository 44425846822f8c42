"""The end of a file: closing it, or the consortium withdrawing it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from grappe.projects.models import LabellingRequest
from grappe.projects.services.workflow.common import (
    S,
    _apply,
    _check_move,
    _locked,
    _now,
    _required,
)


def request_close(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.CLOSED, "request_close")
        return _apply(
            actor=actor,
            request=request,
            target=S.CLOSED,
            action="close",
            fields={},
            template="projects_request_closed",
        )


def request_withdraw(
    *, actor: Any, request: LabellingRequest, reason: str, now: dt.datetime | None = None
) -> LabellingRequest:
    """The consortium withdraws its file before the committee's decision."""
    now = _now(now)
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.WITHDRAWN, "request_withdraw")
        reason = _required(reason, "reason", _("Say why the file is withdrawn."))
        return _apply(
            actor=actor,
            request=request,
            target=S.WITHDRAWN,
            action="withdraw",
            fields={"withdrawn_at": now, "withdraw_reason": reason},
            template="projects_request_withdrawn",
        )
