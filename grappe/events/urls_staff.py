"""/staff/events/ (namespace events_staff): the staff's event pages, with the pavilion of a
trade fair and the call of a trade mission."""

from django.urls import path

from grappe.events.views import fairs, missions, staff

urlpatterns = [
    path("", staff.event_list, name="list"),
    path("new/", staff.event_create, name="create"),
    path("statistics/", staff.statistics, name="statistics"),
    path("<int:pk>/", staff.event_detail, name="detail"),
    path("<int:pk>/edit/", staff.event_edit, name="edit"),
    path("<int:pk>/publish/", staff.event_publish, name="publish"),
    path("<int:pk>/cancel/", staff.event_cancel, name="cancel"),
    path("<int:pk>/tickets/", staff.tickets, name="tickets"),
    path("<int:pk>/tickets/<int:ticket>/", staff.ticket_edit, name="ticket_edit"),
    path("<int:pk>/tickets/<int:ticket>/delete/", staff.ticket_delete, name="ticket_delete"),
    path("<int:pk>/tickets/<int:ticket>/prices/new/", staff.price_create, name="price_create"),
    path("<int:pk>/prices/<int:price>/", staff.price_edit, name="price_edit"),
    path("<int:pk>/prices/<int:price>/delete/", staff.price_delete, name="price_delete"),
    path("<int:pk>/questions/", staff.questions, name="questions"),
    path("<int:pk>/questions/<int:question>/", staff.question_edit, name="question_edit"),
    path(
        "<int:pk>/questions/<int:question>/delete/",
        staff.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/programme/", staff.programme, name="programme"),
    path("<int:pk>/programme/<int:item>/", staff.programme_edit, name="programme_edit"),
    path("<int:pk>/programme/<int:item>/delete/", staff.programme_delete, name="programme_delete"),
    path("<int:pk>/attendees/", staff.attendees, name="attendees"),
    path("<int:pk>/attendees/export.<str:fmt>", staff.attendees_export, name="attendees_export"),
    path("<int:pk>/attendees/register/", staff.attendee_register, name="attendee_register"),
    path(
        "<int:pk>/attendees/<int:registration>/cancel/",
        staff.attendee_cancel,
        name="attendee_cancel",
    ),
    path("<int:pk>/badges.pdf", staff.badges, name="badges"),
    path("<int:pk>/mail/", staff.mailing, name="mailing"),
    path("<int:pk>/check-in/", staff.check_in, name="check_in"),
    path("<int:pk>/pavilion/", fairs.pavilion_manage, name="pavilion"),
    path("<int:pk>/pavilion/booths/new/", fairs.booth_create, name="booth_create"),
    path("<int:pk>/pavilion/booths/<int:booth>/", fairs.booth_edit, name="booth_edit"),
    path("<int:pk>/pavilion/booths/<int:booth>/delete/", fairs.booth_delete, name="booth_delete"),
    path(
        "<int:pk>/pavilion/applications/<int:application>/",
        fairs.exhibitor,
        name="exhibitor",
    ),
    path(
        "<int:pk>/pavilion/applications/<int:application>/allocate/",
        fairs.exhibitor_allocate,
        name="exhibitor_allocate",
    ),
    path(
        "<int:pk>/pavilion/applications/<int:application>/refuse/",
        fairs.exhibitor_refuse,
        name="exhibitor_refuse",
    ),
    path("<int:pk>/pavilion/floor.<str:fmt>", fairs.floor_export, name="floor_export"),
    path("<int:pk>/mission/", missions.mission_manage, name="mission"),
    path(
        "<int:pk>/mission/applications/<int:application>/",
        missions.mission_application,
        name="mission_application",
    ),
    path(
        "<int:pk>/mission/delegation.<str:fmt>",
        missions.delegation_export,
        name="delegation_export",
    ),
]
