"""/events/: the public calendar and feeds, event pages, registration and tickets.

The fixed paths come before `<slug>/`: an event cannot be named "my" or "registrations"."""

from django.urls import URLPattern, path

from grappe.events.views import public, registration

urlpatterns: list[URLPattern] = [
    path("", public.calendar, name="calendar"),
    path("feed.ics", public.feed, name="feed"),
    path("my/", registration.my_registrations, name="my_registrations"),
    path("my/<str:token>/calendar.ics", public.my_feed, name="my_feed"),
    path("registrations/<int:pk>/", registration.ticket, name="ticket"),
    path("registrations/<int:pk>/ticket.ics", registration.ticket_ics, name="ticket_ics"),
    path("registrations/<int:pk>/cancel/", registration.cancel, name="registration_cancel"),
    path("registrations/<int:pk>/confirm/", registration.confirm, name="offer_confirm"),
    path("registrations/<int:pk>/decline/", registration.decline, name="offer_decline"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/event.ics", public.event_ics_view, name="event_ics"),
    path("<slug:slug>/register/", registration.register, name="register"),
]
