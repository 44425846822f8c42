"""The member-facing pages of the members app."""

from grappe.members.views.join import join, membership_apply_view
from grappe.members.views.organisation import (
    contact_end_view,
    contact_set_admin,
    credit_note_download,
    invoice_download,
    organisation_contacts_view,
    organisation_edit,
    organisation_figures,
    organisation_invoices,
    organisation_membership,
    organisation_visibility,
)
from grappe.members.views.space import (
    affiliation_answer,
    affiliation_leave_view,
    affiliation_request_view,
    affiliation_withdraw_view,
    my_profile,
    organisation_declare,
    organisation_find,
)

__all__ = [
    "affiliation_answer", "affiliation_leave_view", "affiliation_request_view",
    "affiliation_withdraw_view",
    "contact_end_view", "contact_set_admin", "credit_note_download", "invoice_download", "join", "membership_apply_view",
    "my_profile", "organisation_contacts_view", "organisation_declare", "organisation_edit",
    "organisation_figures", "organisation_find", "organisation_invoices",
    "organisation_membership", "organisation_visibility",
]  # fmt: skip
