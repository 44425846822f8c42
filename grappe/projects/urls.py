"""/projects/: project files, the workflow, certificates and their public check (urls_files),
and the experts' side: pool, conflicts, assignment, reviews, committee (urls_experts)."""

from grappe.projects.urls_experts import urlpatterns as experts
from grappe.projects.urls_files import urlpatterns as files

app_name = "projects"
urlpatterns = [*files, *experts]
