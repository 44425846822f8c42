from django.urls import path

from grappe.insights import views

app_name = "insights"
urlpatterns = [path("", views.figures, name="figures")]
