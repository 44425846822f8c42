from django.urls import path, re_path

from grappe.dataexchange import views

app_name = "dataexchange"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(
        r"^export/(?P<kind>organisations|people)\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="export",
    ),
    path("import/", views.import_start, name="import"),
    re_path(
        r"^import/template/(?P<kind>organisations|people)\.(?P<fmt>csv|xlsx)$",
        views.template_file,
        name="template",
    ),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", views.import_confirm_view, name="import_confirm"),
    path("import/<int:pk>/cancel/", views.import_cancel_view, name="import_cancel"),
]
