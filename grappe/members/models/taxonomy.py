"""The competence taxonomy: one versioned, multi-facet vocabulary tags everything."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Facet(models.TextChoices):
    TECHNOLOGY = "technology", _("Technology")
    MARKET = "market", _("Application market")
    VALUE_CHAIN = "value_chain", _("Value-chain position")
    TRL = "trl", _("Technology readiness level")


class TaxonomyVersion(models.Model):
    code = models.CharField(_("version"), max_length=20, unique=True)
    is_current = models.BooleanField(_("current"), default=False)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    retired_at = models.DateTimeField(
        _("replaced on"),
        null=True,
        blank=True,
        help_text=_("When another version was put in force; empty for a draft never published."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("taxonomy version")
        verbose_name_plural = _("taxonomy versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_taxonomy_version",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_retired(self) -> bool:
        """Was in force, then replaced (it may be put in force again: a rollback)."""
        return not self.is_current and self.retired_at is not None


class Competence(models.Model):
    version = models.ForeignKey(
        TaxonomyVersion, on_delete=models.PROTECT, related_name="competences"
    )
    code = models.CharField(_("code"), max_length=80)
    facet = models.CharField(_("facet"), max_length=20, choices=Facet.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    keywords = models.CharField(
        _("search keywords"), max_length=500, blank=True, help_text=_("French and English.")
    )
    nace_code = models.CharField(_("NACE code"), max_length=10, blank=True)
    photonics21 = models.CharField(_("Photonics21 work group"), max_length=10, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["facet", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_competence_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr

    @property
    def root_code(self) -> str:
        """The top-level branch: `tech.lasers` for `tech.lasers.fibre`."""
        parts = self.code.split(".")
        return ".".join(parts[:2])
