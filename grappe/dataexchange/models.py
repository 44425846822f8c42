"""An uploaded file between its check and the staff member's confirmation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grappe.core.models import TimeStampedModel


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", _("Organisations")
    PEOPLE = "people", _("People")


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked, waiting for confirmation")
    IMPORTED = "imported", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class ImportBatch(TimeStampedModel):
    """The parsed rows of one uploaded file, owned by the staff member who uploaded it.

    The rows are kept (as text, exactly as read) until the import is confirmed, cancelled or
    expires; confirming checks them again against the database. Afterwards only the
    report and the result are kept."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="import_batches",
    )
    kind = models.CharField(_("kind of data"), max_length=20, choices=ImportKind.choices)
    filename = models.CharField(_("file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    header = models.JSONField(_("columns"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    report = models.JSONField(_("report of the check"), default=dict, blank=True)
    result = models.JSONField(_("result of the import"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported on"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_status_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ImportKind.values), name="import_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("dataexchange:import_detail", kwargs={"pk": self.pk})
