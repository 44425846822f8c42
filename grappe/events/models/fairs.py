"""Trade fairs: the cluster's shared pavilion, its booths and the exhibitors' applications."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grappe.core.models import TimeStampedModel


class Pavilion(models.Model):
    """The cluster's shared stand at a trade fair (one per fair)."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="pavilion")
    name = models.CharField(_("name"), max_length=200)
    hall = models.CharField(_("hall and stand number"), max_length=100, blank=True)
    total_area_m2 = models.DecimalField(
        _("total area (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    application_deadline = models.DateTimeField(_("applications close"), null=True, blank=True)
    cluster_share = models.DecimalField(
        _("cluster's share of the cost (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Part of each booth's cost the cluster pays (co-funded by the Region)."),
    )
    terms_fr = models.TextField(_("terms (French)"), blank=True)
    terms_en = models.TextField(_("terms (English)"), blank=True)

    class Meta:
        verbose_name = _("pavilion")
        verbose_name_plural = _("pavilions")

    def __str__(self) -> str:
        return self.name


class BoothPricing(models.TextChoices):
    PER_M2 = "per_m2", _("Per m²")
    FLAT = "flat", _("Flat")


class Booth(models.Model):
    pavilion = models.ForeignKey(Pavilion, on_delete=models.CASCADE, related_name="booths")
    label = models.CharField(_("booth"), max_length=20)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    pricing = models.CharField(
        _("pricing"), max_length=10, choices=BoothPricing.choices, default=BoothPricing.PER_M2
    )
    unit_price = models.DecimalField(
        _("price excl. VAT (€ per m² or flat)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    cluster_share = models.DecimalField(
        _("cluster's share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Empty: the pavilion's share."),
    )
    corner = models.BooleanField(_("corner booth"), default=False)

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["pavilion", "label"]
        constraints = [
            models.UniqueConstraint(fields=["pavilion", "label"], name="unique_booth_label")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def cost(self) -> Decimal:
        """The booth's full cost, excl. VAT."""
        if self.pricing == BoothPricing.FLAT:
            return self.unit_price
        return (self.unit_price * self.area_m2).quantize(Decimal("0.01"))

    @property
    def share(self) -> Decimal:
        return self.cluster_share if self.cluster_share is not None else self.pavilion.cluster_share

    @property
    def cluster_part(self) -> Decimal:
        return (self.cost * self.share / 100).quantize(Decimal("0.01"))

    @property
    def exhibitor_part(self) -> Decimal:
        return self.cost - self.cluster_part


class ExhibitorStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("application", "Submitted")
    ALLOCATED = "allocated", _("Booth allocated")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("application", "Withdrawn")


class ExhibitorApplication(TimeStampedModel):
    pavilion = models.ForeignKey(Pavilion, on_delete=models.CASCADE, related_name="applications")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="exhibitor_applications"
    )
    applicant = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, related_name="exhibitor_applications"
    )
    wanted_area_m2 = models.DecimalField(
        _("wished area (m²)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    products = models.TextField(_("products and technologies shown"))
    message = models.TextField(_("message to the organisers"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExhibitorStatus.choices,
        default=ExhibitorStatus.SUBMITTED,
    )
    booth = models.ForeignKey(
        Booth,
        verbose_name=_("booth"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("exhibitor application")
        verbose_name_plural = _("exhibitor applications")
        ordering = ["pavilion", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pavilion", "organisation"],
                condition=Q(status__in=["submitted", "allocated"]),
                name="one_open_exhibitor_application",
            ),
            models.UniqueConstraint(
                fields=["booth"],
                condition=Q(status="allocated"),
                name="one_exhibitor_per_booth",
            ),
            models.CheckConstraint(
                condition=~Q(status="allocated") | Q(booth__isnull=False),
                name="allocated_application_has_booth",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.pavilion}"
