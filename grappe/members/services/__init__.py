"""Writes on members: every state change goes through one of these functions."""

from grappe.members.services.dues import DuesQuote, dues_quote
from grappe.members.services.invoices import (
    credit_note_pdf,
    invoice_cancel,
    invoice_issue,
    invoice_mark_paid,
    invoice_pdf,
)
from grappe.members.services.memberships import (
    TRANSITIONS,
    membership_activate,
    membership_apply,
    membership_approve,
    membership_end,
    membership_refuse,
    membership_renew,
    membership_send_reminders,
    memberships_renew_year,
)
from grappe.members.services.organisations import (
    college_for,
    figures_declare,
    organisation_create,
    organisation_set_visibility,
    organisation_update,
    size_class_for,
)
from grappe.members.services.people import (
    affiliation_confirm,
    affiliation_create,
    affiliation_end,
    affiliation_refuse,
    affiliation_request,
    affiliation_set_admin,
    consent_record,
    person_create,
    person_create_for_user,
    person_update,
)
from grappe.members.services.profile import (
    affiliation_leave,
    affiliation_withdraw,
    contact_add,
    contact_end,
    my_profile_update,
)
from grappe.members.services.taxonomy import (
    TaxonomyPublishResult,
    competence_create,
    competence_update,
    taxonomy_publish_preview,
    taxonomy_version_copy,
    taxonomy_version_publish,
)

__all__ = [
    "TRANSITIONS", "DuesQuote", "affiliation_confirm", "affiliation_create", "affiliation_end",
    "affiliation_leave", "affiliation_refuse", "affiliation_request", "affiliation_set_admin",
    "affiliation_withdraw",
    "contact_add", "contact_end", "my_profile_update", "college_for",
    "consent_record", "credit_note_pdf", "dues_quote", "invoice_cancel", "figures_declare", "invoice_issue", "invoice_mark_paid",
    "invoice_pdf", "membership_activate", "membership_apply", "membership_approve",
    "membership_end", "membership_refuse", "membership_renew", "membership_send_reminders",
    "memberships_renew_year", "organisation_create", "organisation_set_visibility",
    "organisation_update", "person_create", "person_create_for_user", "person_update",
    "size_class_for", "TaxonomyPublishResult", "competence_create", "competence_update",
    "taxonomy_publish_preview", "taxonomy_version_copy", "taxonomy_version_publish",
]  # fmt: skip
