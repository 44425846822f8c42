"""Assigning experts to the files of a session: the optimiser's proposals, assignments by hand,
staff's confirmation (the invitations), the experts' answers, withdrawals and replacements.

Rules every path shares: an expert in conflict with a file is never assigned to it (the
reasons are given); an expert takes at most `load_limit` files of a session (live assignments:
proposed, invited, accepted); a file wants `session.experts_per_project` experts; an expert
who declined or was withdrawn from a file is not proposed for it again. Proposals are not
visible to experts: staff confirm them, which sends the invitations."""

from grappe.projects.services.assignments.answers import assignment_accept, assignment_decline
from grappe.projects.services.assignments.common import ASSIGNABLE
from grappe.projects.services.assignments.confirmation import (
    Confirmation,
    assignment_confirm,
    assignments_confirm,
)
from grappe.projects.services.assignments.problem import (
    available_experts,
    match_scores,
    session_loads,
)
from grappe.projects.services.assignments.proposals import (
    Lacking,
    Proposal,
    assignment_add,
    assignment_discard,
    assignments_propose,
    lack_reason,
)
from grappe.projects.services.assignments.withdrawals import (
    assignment_withdraw,
    replacement_propose,
    withdraw_conflicted,
)

__all__ = [
    "ASSIGNABLE",
    "Confirmation",
    "Lacking",
    "Proposal",
    "assignment_accept",
    "assignment_add",
    "assignment_confirm",
    "assignment_decline",
    "assignment_discard",
    "assignment_withdraw",
    "assignments_confirm",
    "assignments_propose",
    "available_experts",
    "lack_reason",
    "match_scores",
    "replacement_propose",
    "session_loads",
    "withdraw_conflicted",
]
