"""Registrations: a seat, a place on the waitlist, or a freed seat offered to the next in line."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grappe.core.models import TimeStampedModel


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Seat offered, awaiting confirmation")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")
    EXPIRED = "expired", _("Offer expired")


# A seat is held by a confirmed registration and by a freed seat offered to someone.
SEAT_HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
# One person holds at most one of these per event (a database constraint says so).
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED)


class Registration(TimeStampedModel):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registrations"
    )
    ticket = models.ForeignKey(
        "events.TicketCategory",
        verbose_name=_("ticket"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, related_name="registrations"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
        help_text=_("The organisation the person comes for; it decides the member price."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    # The price as sold, frozen: later edits of the price list do not change it.
    price_label = models.CharField(_("price"), max_length=120, blank=True)
    amount = models.DecimalField(
        _("price excl. VAT (€)"), max_digits=9, decimal_places=2, default=Decimal("0.00")
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0.00")
    )
    answers = models.JSONField(
        _("answers"), default=dict, blank=True, help_text=_("Question id → answer.")
    )
    student_declared = models.BooleanField(
        _("declared a student"),
        default=False,
        help_text=_("The registrant declared being a student (student price)."),
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    code = models.CharField(
        _("ticket code"),
        max_length=12,
        unique=True,
        help_text=_("Typed at check-in; the QR code carries it signed."),
    )
    waitlisted_at = models.DateTimeField(_("joined the waitlist"), null=True, blank=True)
    offered_at = models.DateTimeField(_("seat offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("confirm before"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=["confirmed", "offered", "waitlisted"]),
                name="one_active_registration_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="waitlisted_has_a_place_in_line",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="offer_has_a_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"]),
            models.Index(fields=["event", "status", "waitlisted_at"]),
            models.Index(fields=["status", "offer_expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.event}"

    @property
    def amount_with_vat(self) -> Decimal:
        return (self.amount * (1 + self.vat_rate / 100)).quantize(Decimal("0.01"))

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING
