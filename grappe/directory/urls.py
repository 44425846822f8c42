from django.urls import path

from grappe.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("map/", views.map_view, name="map"),
    path("<slug:slug>/", views.profile, name="profile"),
]
