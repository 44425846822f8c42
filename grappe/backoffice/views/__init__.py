"""The back office: the cluster team's pages under /staff/."""

from grappe.backoffice.views.directory import (
    affiliation_confirm,
    affiliation_refuse,
    affiliations,
    organisations,
    people,
    person,
    person_set_expert,
)
from grappe.backoffice.views.dues import (
    bands_edit,
    cluster_profile,
    schedule,
    schedule_copy,
    schedule_create,
    schedule_edit,
    schedules,
)
from grappe.backoffice.views.home import home
from grappe.backoffice.views.invoices import (
    credit_note_pdf,
    invoice_cancel,
    invoice_mark_paid,
    invoice_pdf,
    invoices,
)
from grappe.backoffice.views.memberships import (
    applications,
    membership,
    membership_activate,
    membership_approve,
    membership_end,
    membership_refuse,
    membership_renew,
    memberships,
    memberships_renew_year,
)
from grappe.backoffice.views.taxonomy import (
    taxonomy_competence_create,
    taxonomy_competence_edit,
    taxonomy_version,
    taxonomy_version_copy_view,
    taxonomy_version_publish_view,
    taxonomy_versions_view,
)

__all__ = [
    "affiliation_confirm", "affiliation_refuse", "affiliations", "applications", "bands_edit",
    "cluster_profile", "credit_note_pdf", "home", "invoice_cancel", "invoice_mark_paid", "invoice_pdf", "invoices", "membership",
    "membership_activate", "membership_approve", "membership_end", "membership_refuse",
    "membership_renew", "memberships", "memberships_renew_year", "organisations", "people",
    "person", "person_set_expert", "schedule", "schedule_copy", "schedule_create",
    "schedule_edit", "schedules", "taxonomy_competence_create", "taxonomy_competence_edit",
    "taxonomy_version", "taxonomy_version_copy_view", "taxonomy_version_publish_view",
    "taxonomy_versions_view",
]  # fmt: skip
