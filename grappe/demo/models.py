"""What the demo loader has already done, so that running `grappe demo` again changes nothing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoStep(models.Model):
    """One part of the demo data (the cluster; later: events, projects…) loaded once."""

    name = models.CharField(_("part"), max_length=50, unique=True)
    size = models.CharField(_("size"), max_length=10)
    loaded_at = models.DateTimeField(_("loaded on"), auto_now_add=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("demo data part")
        verbose_name_plural = _("demo data parts")
        ordering = ["loaded_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.size})"
