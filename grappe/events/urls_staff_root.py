"""/staff/events/: the staff's event pages."""

from grappe.events.urls_staff import urlpatterns as staff

app_name = "events_staff"
urlpatterns = [*staff]
