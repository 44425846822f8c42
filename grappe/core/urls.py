from django.urls import path

from grappe.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("audit/<int:content_type_id>/<str:object_id>/", views.audit_trail, name="audit"),
    path("healthz", views.healthz, name="healthz"),
]
