from django.urls import path

from grappe.api.api import api

urlpatterns = [path("", api.urls)]
