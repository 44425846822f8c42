from django.urls import path

from grappe.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("applications/", views.applications, name="applications"),
    path("memberships/", views.memberships, name="memberships"),
    path("memberships/<int:pk>/", views.membership, name="membership"),
    path("memberships/<int:pk>/approve/", views.membership_approve, name="membership_approve"),
    path("memberships/<int:pk>/refuse/", views.membership_refuse, name="membership_refuse"),
    path("memberships/<int:pk>/activate/", views.membership_activate, name="membership_activate"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("memberships/<int:pk>/renew/", views.membership_renew, name="membership_renew"),
    path(
        "memberships/renew/<int:year>/", views.memberships_renew_year, name="memberships_renew_year"
    ),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/paid/", views.invoice_mark_paid, name="invoice_mark_paid"),
    path("invoices/<int:pk>/cancel/", views.invoice_cancel, name="invoice_cancel"),
    path("credit-notes/<int:pk>/pdf/", views.credit_note_pdf, name="credit_note_pdf"),
    path("dues/", views.schedules, name="schedules"),
    path("dues/new/", views.schedule_create, name="schedule_create"),
    path("dues/<int:year>/", views.schedule, name="schedule"),
    path("dues/<int:year>/edit/", views.schedule_edit, name="schedule_edit"),
    path("dues/<int:year>/copy/", views.schedule_copy, name="schedule_copy"),
    path("dues/<int:year>/bands/<str:college>/", views.bands_edit, name="bands_edit"),
    path("organisations/", views.organisations, name="organisations"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/expert/", views.person_set_expert, name="person_set_expert"),
    path("affiliations/", views.affiliations, name="affiliations"),
    path("affiliations/<int:pk>/confirm/", views.affiliation_confirm, name="affiliation_confirm"),
    path("affiliations/<int:pk>/refuse/", views.affiliation_refuse, name="affiliation_refuse"),
    path("cluster/", views.cluster_profile, name="cluster_profile"),
    path("taxonomy/", views.taxonomy_versions_view, name="taxonomy"),
    path("taxonomy/<int:pk>/", views.taxonomy_version, name="taxonomy_version"),
    path("taxonomy/<int:pk>/copy/", views.taxonomy_version_copy_view, name="taxonomy_copy"),
    path(
        "taxonomy/<int:pk>/publish/", views.taxonomy_version_publish_view, name="taxonomy_publish"
    ),
    path(
        "taxonomy/<int:pk>/competences/new/",
        views.taxonomy_competence_create,
        name="taxonomy_competence_create",
    ),
    path(
        "taxonomy/competences/<int:pk>/",
        views.taxonomy_competence_edit,
        name="taxonomy_competence_edit",
    ),
]
