"""Preparing a project file: create it, edit the draft, its consortium and contacts, and
resubmit a project to another session (a label is for one call).

Only a contact of a member organisation starts a file; the file's contacts edit the draft
together; submission (grappe.projects.services.workflow.request_submit) locks it."""

from grappe.projects.services.files.common import EDITABLE, _locked_draft, session_is_open
from grappe.projects.services.files.consortium import (
    PARTNER_FIELDS,
    partner_organisations,
    partner_remove,
    partner_save,
)
from grappe.projects.services.files.contacts import contact_add, contact_remove
from grappe.projects.services.files.drafts import request_create, request_update
from grappe.projects.services.files.resubmission import request_resubmit

__all__ = [
    "EDITABLE",
    "PARTNER_FIELDS",
    "_locked_draft",
    "contact_add",
    "contact_remove",
    "partner_organisations",
    "partner_remove",
    "partner_save",
    "request_create",
    "request_resubmit",
    "request_update",
    "session_is_open",
]
