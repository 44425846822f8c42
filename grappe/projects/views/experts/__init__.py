"""The experts' pages. Staff: the pool (list, add, edit) and each session's assignment board
(files × experts with conflicts and loads; propose, add by hand, confirm, withdraw). Experts:
the confidentiality agreement, their profile and relationships, their dashboard of what they
owe, the invitation (accept, decline, declare a conflict), the review form and, once theirs is
in, the other experts' reviews of the same file."""

from grappe.projects.views.experts.board import (
    staff_assignment_add,
    staff_assignment_confirm,
    staff_assignment_discard,
    staff_assignment_withdraw,
    staff_assignments,
    staff_assignments_confirm,
    staff_assignments_propose,
)
from grappe.projects.views.experts.expert import (
    expert_agreement,
    expert_dashboard,
    expert_profile,
    expert_relationship_add,
    expert_relationship_remove,
)
from grappe.projects.views.experts.invitations import (
    assignment_accept,
    assignment_conflict,
    assignment_decline,
    assignment_detail,
    review,
    review_others,
)
from grappe.projects.views.experts.pool import staff_expert_create, staff_expert_edit, staff_experts

__all__ = [
    "assignment_accept",
    "assignment_conflict",
    "assignment_decline",
    "assignment_detail",
    "expert_agreement",
    "expert_dashboard",
    "expert_profile",
    "expert_relationship_add",
    "expert_relationship_remove",
    "review",
    "review_others",
    "staff_assignment_add",
    "staff_assignment_confirm",
    "staff_assignment_discard",
    "staff_assignment_withdraw",
    "staff_assignments",
    "staff_assignments_confirm",
    "staff_assignments_propose",
    "staff_expert_create",
    "staff_expert_edit",
    "staff_experts",
]
