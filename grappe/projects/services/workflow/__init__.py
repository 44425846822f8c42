"""One service per move of the labelling workflow (`grappe.projects.workflow`).

Each service locks the file, checks that the actor holds one of the roles the table gives
for the move (PermissionDenied with the reason otherwise) and that the file's status allows
it (ValidationError on `status`), validates its own fields (ValidationError naming them),
writes, records an audit row and mails the consortium's contacts in their language once the
transaction has committed. A refused move changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from grappe.projects.models import LabellingRequest
from grappe.projects.services.workflow.closing import request_close, request_withdraw
from grappe.projects.services.workflow.common import mail_contacts
from grappe.projects.services.workflow.funding import (
    request_issue_certificate,
    request_record_outcome,
    request_submitted_to_funder,
)
from grappe.projects.services.workflow.review import (
    request_decide,
    request_declare_inadmissible,
    request_mark_reviews_complete,
    request_start_review,
    request_to_committee,
)
from grappe.projects.services.workflow.submission import (
    request_reopen,
    request_submit,
    submission_errors,
)

# The service of each kind of move, by name (the workflow table refers to them by name).
SERVICES: dict[str, Callable[..., LabellingRequest]] = {
    "request_submit": request_submit,
    "request_reopen": request_reopen,
    "request_declare_inadmissible": request_declare_inadmissible,
    "request_start_review": request_start_review,
    "request_mark_reviews_complete": request_mark_reviews_complete,
    "request_to_committee": request_to_committee,
    "request_decide": request_decide,
    "request_issue_certificate": request_issue_certificate,
    "request_submitted_to_funder": request_submitted_to_funder,
    "request_record_outcome": request_record_outcome,
    "request_close": request_close,
    "request_withdraw": request_withdraw,
}

__all__ = [
    "SERVICES",
    "mail_contacts",
    "request_close",
    "request_decide",
    "request_declare_inadmissible",
    "request_issue_certificate",
    "request_mark_reviews_complete",
    "request_record_outcome",
    "request_reopen",
    "request_start_review",
    "request_submit",
    "request_submitted_to_funder",
    "request_to_committee",
    "request_withdraw",
    "submission_errors",
]
