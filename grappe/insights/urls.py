from django.urls import path

from grappe.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.figures, name="figures"),
    path("staff/", views.figures_staff, name="staff"),
    path("staff/<slug:key>.csv", views.figures_csv, name="csv"),
]
