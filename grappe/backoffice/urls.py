from django.urls import path

from grappe.backoffice import views

app_name = "backoffice"
urlpatterns = [path("", views.home, name="home")]
