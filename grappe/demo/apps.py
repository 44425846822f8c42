from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "grappe.demo"
    label = "demo"
    verbose_name = "Demo cluster"
