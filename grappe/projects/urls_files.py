"""/projects/: public pages, the consortium's file pages, workflow actions and staff pages."""

from django.urls import URLPattern, path

from grappe.projects.views import actions, files, public, staff

urlpatterns: list[URLPattern] = [
    # Public
    path("", public.public_list, name="public_list"),
    path("sessions/", public.sessions, name="sessions"),
    path("sessions/<slug:slug>/", public.session, name="session"),
    path("verify/<uuid:token>/", public.verify, name="verify"),
    # The consortium
    path("mine/", files.mine, name="mine"),
    path("new/", files.request_create, name="request_create"),
    path("files/<int:pk>/", files.request_detail, name="request"),
    path("files/<int:pk>/edit/", files.request_edit, name="request_edit"),
    path("files/<int:pk>/partners/add/", files.partner_add, name="partner_add"),
    path("files/<int:pk>/partners/<int:partner_pk>/", files.partner_edit, name="partner_edit"),
    path(
        "files/<int:pk>/partners/<int:partner_pk>/remove/",
        files.partner_remove,
        name="partner_remove",
    ),
    path("files/<int:pk>/contacts/add/", files.contact_add, name="contact_add"),
    path(
        "files/<int:pk>/contacts/<int:contact_pk>/remove/",
        files.contact_remove,
        name="contact_remove",
    ),
    path("files/<int:pk>/documents/add/", files.document_add, name="document_add"),
    path(
        "files/<int:pk>/documents/<int:document_pk>/",
        files.document_download,
        name="document_download",
    ),
    path(
        "files/<int:pk>/documents/<int:document_pk>/remove/",
        files.document_remove,
        name="document_remove",
    ),
    path("files/<int:pk>/exclusions/add/", files.exclusion_add, name="exclusion_add"),
    path(
        "files/<int:pk>/exclusions/<int:exclusion_pk>/remove/",
        files.exclusion_remove,
        name="exclusion_remove",
    ),
    path("files/<int:pk>/submit/", files.request_submit, name="request_submit"),
    path("files/<int:pk>/withdraw/", files.request_withdraw, name="request_withdraw"),
    path("files/<int:pk>/funder/", files.request_funder, name="request_funder"),
    path("files/<int:pk>/outcome/", files.request_outcome, name="request_outcome"),
    path("files/<int:pk>/resubmit/", files.request_resubmit, name="request_resubmit"),
    path("files/<int:pk>/certificate.pdf", files.certificate_pdf, name="certificate_pdf"),
    # Workflow actions (staff; the decision also by the committee's chair)
    path("files/<int:pk>/reopen/", actions.request_reopen, name="request_reopen"),
    path(
        "files/<int:pk>/inadmissible/",
        actions.request_declare_inadmissible,
        name="request_declare_inadmissible",
    ),
    path("files/<int:pk>/start-review/", actions.request_start_review, name="request_start_review"),
    path(
        "files/<int:pk>/reviews-complete/",
        actions.request_mark_reviews_complete,
        name="request_mark_reviews_complete",
    ),
    path("files/<int:pk>/to-committee/", actions.request_to_committee, name="request_to_committee"),
    path("files/<int:pk>/decide/", actions.request_decide, name="request_decide"),
    path(
        "files/<int:pk>/issue-certificate/",
        actions.request_issue_certificate,
        name="request_issue_certificate",
    ),
    path("files/<int:pk>/close/", actions.request_close, name="request_close"),
    path(
        "files/<int:pk>/revoke-certificate/",
        actions.certificate_revoke,
        name="certificate_revoke",
    ),
    # Staff
    path("staff/sessions/", staff.sessions, name="staff_sessions"),
    path("staff/sessions/new/", staff.session_create, name="staff_session_create"),
    path("staff/sessions/<slug:slug>/", staff.session_files, name="staff_session"),
    path("staff/sessions/<slug:slug>/edit/", staff.session_edit, name="staff_session_edit"),
    path("staff/sessions/<slug:slug>/grid/", staff.grid, name="staff_grid"),
    path("staff/sessions/<slug:slug>/grid/copy/", staff.grid_copy, name="staff_grid_copy"),
    path(
        "staff/sessions/<slug:slug>/grid/<int:criterion_pk>/",
        staff.criterion_edit,
        name="staff_criterion_edit",
    ),
    path(
        "staff/sessions/<slug:slug>/grid/<int:criterion_pk>/remove/",
        staff.criterion_remove,
        name="staff_criterion_remove",
    ),
    path("staff/sessions/<slug:slug>/committee/", staff.committee, name="staff_committee"),
    path(
        "staff/sessions/<slug:slug>/committee/<int:seat_pk>/remove/",
        staff.committee_remove,
        name="staff_committee_remove",
    ),
    path("staff/rules/", staff.rules, name="staff_rules"),
    path("staff/rules/new/", staff.rule_create, name="staff_rule_create"),
    path("staff/rules/<int:pk>/", staff.rule_edit, name="staff_rule_edit"),
    path("staff/portfolio/", staff.portfolio, name="staff_portfolio"),
]
