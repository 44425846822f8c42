from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataexchangeConfig(AppConfig):
    name = "grappe.dataexchange"
    label = "dataexchange"
    verbose_name = _("Import and export")
