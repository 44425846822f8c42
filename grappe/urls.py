from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("", include("grappe.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("grappe.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("members/", include("grappe.members.urls")),
    path("directory/", include("grappe.directory.urls")),
    path("figures/", include("grappe.insights.urls")),
    path("staff/", include("grappe.backoffice.urls")),
    path("staff/data/", include("grappe.dataexchange.urls")),
    path("events/", include("grappe.events.urls")),
    path("staff/events/", include("grappe.events.urls_staff_root")),
    path("projects/", include("grappe.projects.urls")),
    path("api/v1/", include("grappe.api.urls")),
    path("admin/", admin.site.urls),
    # Uploaded logos; a production deployment may serve /media/ from the web server instead.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]
