"""The consortium's pages: my files, a new file, the file's page, editing the draft
(partners, contacts, documents, exclusions), submitting, withdrawing, the submission to the
funder, the funding outcome and resubmission."""

from grappe.projects.views.files.consortium import (
    contact_add,
    contact_remove,
    partner_add,
    partner_edit,
    partner_remove,
)
from grappe.projects.views.files.documents import (
    document_add,
    document_download,
    document_remove,
    exclusion_add,
    exclusion_remove,
)
from grappe.projects.views.files.moves import (
    certificate_pdf,
    reason_page,
    request_funder,
    request_outcome,
    request_resubmit,
    request_submit,
    request_withdraw,
)
from grappe.projects.views.files.pages import mine, request_create, request_detail, request_edit

__all__ = [
    "certificate_pdf",
    "contact_add",
    "contact_remove",
    "document_add",
    "document_download",
    "document_remove",
    "exclusion_add",
    "exclusion_remove",
    "mine",
    "partner_add",
    "partner_edit",
    "partner_remove",
    "reason_page",
    "request_create",
    "request_detail",
    "request_edit",
    "request_funder",
    "request_outcome",
    "request_resubmit",
    "request_submit",
    "request_withdraw",
]
