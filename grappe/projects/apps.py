from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "grappe.projects"
    label = "projects"
    verbose_name = _("R&D project labelling")

    def ready(self) -> None:
        # The public figures page gets a "Labelled projects" section (aggregates only).
        from grappe.insights.selectors import register_section
        from grappe.projects.figures import projects_section

        register_section(projects_section)
