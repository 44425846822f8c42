"""/events/<slug>/pavilion/ and /events/<slug>/mission/: a trade fair's pavilion and a trade
mission's call, with the applications to them (namespace events)."""

from django.urls import path

from grappe.events.views import fairs, missions

urlpatterns = [
    path("<slug:slug>/pavilion/", fairs.pavilion, name="pavilion"),
    path("<slug:slug>/pavilion/apply/", fairs.pavilion_apply, name="pavilion_apply"),
    path(
        "<slug:slug>/pavilion/applications/<int:pk>/withdraw/",
        fairs.exhibitor_withdraw,
        name="exhibitor_withdraw",
    ),
    path("<slug:slug>/mission/", missions.mission, name="mission"),
    path("<slug:slug>/mission/apply/", missions.mission_apply, name="mission_apply"),
    path(
        "<slug:slug>/mission/applications/<int:pk>/withdraw/",
        missions.mission_withdraw,
        name="mission_withdraw",
    ),
]
