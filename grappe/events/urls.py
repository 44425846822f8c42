"""/events/: the public calendar, event pages and registration (urls_public), and the
exhibitor and trade-mission applications (urls_fairs)."""

from grappe.events.urls_fairs import urlpatterns as fairs
from grappe.events.urls_public import urlpatterns as public

app_name = "events"
urlpatterns = [*public, *fairs]
