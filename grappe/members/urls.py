from django.urls import path

from grappe.members import views

app_name = "members"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("me/", views.my_profile, name="my_profile"),
    path("organisations/new/", views.organisation_declare, name="organisation_declare"),
    path("organisations/find/", views.organisation_find, name="organisation_find"),
    path("requests/<int:pk>/answer/", views.affiliation_answer, name="affiliation_answer"),
    path(
        "requests/<int:pk>/withdraw/", views.affiliation_withdraw_view, name="affiliation_withdraw"
    ),
    path("affiliations/<int:pk>/leave/", views.affiliation_leave_view, name="affiliation_leave"),
    path("invoices/<int:pk>/pdf/", views.invoice_download, name="invoice_pdf"),
    path(
        "invoices/<int:pk>/credit-note/pdf/",
        views.credit_note_download,
        name="credit_note_pdf",
    ),
    path("organisations/<slug:slug>/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/request/",
        views.affiliation_request_view,
        name="affiliation_request",
    ),
    path(
        "organisations/<slug:slug>/visibility/",
        views.organisation_visibility,
        name="organisation_visibility",
    ),
    path(
        "organisations/<slug:slug>/figures/",
        views.organisation_figures,
        name="organisation_figures",
    ),
    path(
        "organisations/<slug:slug>/contacts/",
        views.organisation_contacts_view,
        name="organisation_contacts",
    ),
    path(
        "organisations/<slug:slug>/contacts/<int:pk>/admin/",
        views.contact_set_admin,
        name="contact_set_admin",
    ),
    path(
        "organisations/<slug:slug>/contacts/<int:pk>/end/",
        views.contact_end_view,
        name="contact_end",
    ),
    path(
        "organisations/<slug:slug>/membership/",
        views.organisation_membership,
        name="organisation_membership",
    ),
    path(
        "organisations/<slug:slug>/apply/",
        views.membership_apply_view,
        name="membership_apply",
    ),
    path(
        "organisations/<slug:slug>/invoices/",
        views.organisation_invoices,
        name="organisation_invoices",
    ),
]
