"""Trade missions abroad: a call for participants, applications, selection and cost shares."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grappe.core.i18n import in_language
from grappe.core.models import TimeStampedModel


class Mission(models.Model):
    """The call for participants of a trade mission (one per mission event)."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="mission")
    call_fr = models.TextField(_("call for participants (French)"))
    call_en = models.TextField(_("call for participants (English)"), blank=True)
    target_markets = models.ManyToManyField(
        "members.Competence",
        verbose_name=_("target markets"),
        blank=True,
        related_name="missions",
    )
    application_deadline = models.DateTimeField(_("applications close"))
    places = models.PositiveSmallIntegerField(_("places in the delegation"))
    cost_per_participant = models.DecimalField(
        _("full cost per participant excl. VAT (€)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    cofunded_share = models.DecimalField(
        _("co-funded share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    cofunder = models.CharField(
        _("co-funder"), max_length=200, blank=True, help_text=_("For example Région Sud.")
    )
    selection_criteria_fr = models.TextField(_("selection criteria (French)"), blank=True)
    selection_criteria_en = models.TextField(_("selection criteria (English)"), blank=True)

    class Meta:
        verbose_name = _("trade mission")
        verbose_name_plural = _("trade missions")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def call(self) -> str:
        return in_language(self.call_fr, self.call_en)

    @property
    def cofunded_part(self) -> Decimal:
        return (self.cost_per_participant * self.cofunded_share / 100).quantize(Decimal("0.01"))

    @property
    def participant_part(self) -> Decimal:
        return self.cost_per_participant - self.cofunded_part


class MissionApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("application", "Submitted")
    SELECTED = "selected", pgettext_lazy("application", "Selected")
    RESERVE = "reserve", _("On the reserve list")
    REFUSED = "refused", _("Not selected")
    WITHDRAWN = "withdrawn", pgettext_lazy("application", "Withdrawn")


class MissionApplication(TimeStampedModel):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="applications")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="mission_applications"
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="mission_applications",
    )
    motivation = models.TextField(_("motivation"))
    target_markets = models.TextField(_("target markets and customers"))
    products = models.TextField(_("products and services to present"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MissionApplicationStatus.choices,
        default=MissionApplicationStatus.SUBMITTED,
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The cost share as decided at selection, frozen (the call's figures may change later).
    cost = models.DecimalField(
        _("full cost excl. VAT (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    cofunded = models.DecimalField(
        _("co-funded part (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("trade mission application")
        verbose_name_plural = _("trade mission applications")
        ordering = ["mission", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "organisation"],
                condition=Q(status__in=["submitted", "selected", "reserve"]),
                name="one_open_mission_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.mission}"

    @property
    def participant_part(self) -> Decimal | None:
        if self.cost is None or self.cofunded is None:
            return None
        return self.cost - self.cofunded
