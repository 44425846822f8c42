from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "grappe.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from grappe.events.figures import events_section
        from grappe.insights.selectors import register_section

        register_section(events_section)
