"""/projects/: the experts' side — the pool and the assignment board (staff), the agreement,
profile, dashboard, invitations and reviews (experts), and the committee's page."""

from django.urls import URLPattern, path

from grappe.projects.views import committee, experts

urlpatterns: list[URLPattern] = [
    # Staff: the pool
    path("staff/experts/", experts.staff_experts, name="staff_experts"),
    path("staff/experts/new/", experts.staff_expert_create, name="staff_expert_create"),
    path("staff/experts/<int:pk>/", experts.staff_expert_edit, name="staff_expert_edit"),
    # Staff: a session's assignments
    path(
        "staff/sessions/<slug:slug>/assignments/",
        experts.staff_assignments,
        name="staff_assignments",
    ),
    path(
        "staff/sessions/<slug:slug>/assignments/propose/",
        experts.staff_assignments_propose,
        name="staff_assignments_propose",
    ),
    path(
        "staff/sessions/<slug:slug>/assignments/confirm/",
        experts.staff_assignments_confirm,
        name="staff_assignments_confirm",
    ),
    path(
        "staff/sessions/<slug:slug>/assignments/add/",
        experts.staff_assignment_add,
        name="staff_assignment_add",
    ),
    path(
        "staff/assignments/<int:pk>/confirm/",
        experts.staff_assignment_confirm,
        name="staff_assignment_confirm",
    ),
    path(
        "staff/assignments/<int:pk>/discard/",
        experts.staff_assignment_discard,
        name="staff_assignment_discard",
    ),
    path(
        "staff/assignments/<int:pk>/withdraw/",
        experts.staff_assignment_withdraw,
        name="staff_assignment_withdraw",
    ),
    # The expert
    path("experts/", experts.expert_dashboard, name="expert_dashboard"),
    path("experts/agreement/", experts.expert_agreement, name="expert_agreement"),
    path("experts/profile/", experts.expert_profile, name="expert_profile"),
    path(
        "experts/profile/relationships/add/",
        experts.expert_relationship_add,
        name="expert_relationship_add",
    ),
    path(
        "experts/profile/relationships/<int:pk>/remove/",
        experts.expert_relationship_remove,
        name="expert_relationship_remove",
    ),
    path("assignments/<int:pk>/", experts.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/accept/", experts.assignment_accept, name="assignment_accept"),
    path("assignments/<int:pk>/decline/", experts.assignment_decline, name="assignment_decline"),
    path("assignments/<int:pk>/conflict/", experts.assignment_conflict, name="assignment_conflict"),
    path("assignments/<int:pk>/review/", experts.review, name="review"),
    path("assignments/<int:pk>/reviews/", experts.review_others, name="review_others"),
    # The committee
    path("committee/<slug:slug>/", committee.committee, name="committee"),
]
