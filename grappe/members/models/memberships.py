"""Memberships per organisation and year, the dues schedule, and invoices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grappe.core.models import TimeStampedModel
from grappe.members.models.organisations import College


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", pgettext_lazy("membership", "Active")
    REFUSED = "refused", _("Refused")
    LAPSED = "lapsed", _("Lapsed")
    RESIGNED = "resigned", _("Resigned")
    EXCLUDED = "excluded", _("Excluded")


class DecisionBody(models.TextChoices):
    STAFF = "staff", _("Cluster staff")
    BOARD = "board", _("Board")


class Membership(TimeStampedModel):
    """One organisation's membership for one calendar year."""

    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.APPLIED,
    )
    start = models.DateField(_("member from"))
    end = models.DateField(_("member until"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied on"), null=True, blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_body = models.CharField(
        _("decided by"), max_length=10, choices=DecisionBody.choices, blank=True
    )
    decision_note = models.TextField(_("decision"), blank=True)
    ended_at = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    college = models.CharField(_("collège"), max_length=20, choices=College.choices)
    band_label = models.CharField(_("dues band"), max_length=120, blank=True)
    fee_full = models.DecimalField(_("yearly dues excl. VAT (€)"), max_digits=10, decimal_places=2)
    fee = models.DecimalField(_("dues excl. VAT (€)"), max_digits=10, decimal_places=2)
    months = models.PositiveSmallIntegerField(_("months charged"), default=12)
    renewal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewed_by"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-year", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_membership_per_year"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="membership_dates"
            ),
        ]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class FeeBasis(models.TextChoices):
    TURNOVER = "turnover", _("Turnover (€)")
    HEADCOUNT = "headcount", _("Headcount")
    FLAT = "flat", _("Flat fee")


class FeeSchedule(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=20)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("dues schedule")
        verbose_name_plural = _("dues schedules")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class FeeBand(models.Model):
    """Dues for a collège whose basis value lies in [minimum, maximum)."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="bands")
    college = models.CharField(_("collège"), max_length=20, choices=College.choices)
    basis = models.CharField(_("basis"), max_length=10, choices=FeeBasis.choices)
    minimum = models.DecimalField(_("from"), max_digits=14, decimal_places=2, default=0)
    maximum = models.DecimalField(
        _("below"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(_("dues excl. VAT (€)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("dues band")
        verbose_name_plural = _("dues bands")
        ordering = ["schedule", "college", "minimum"]
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gt=models.F("minimum")),
                name="band_bounds",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="band_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.college} {self.minimum}–{self.maximum or '∞'}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", pgettext_lazy("invoice", "Cancelled")


class InvoiceCounter(models.Model):
    """The last number used per year, locked while an invoice is numbered: no gaps, no twins."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Invoice(TimeStampedModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    membership = models.OneToOneField(Membership, on_delete=models.PROTECT, related_name="invoice")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.PROTECT, related_name="invoices"
    )
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    label = models.CharField(_("label"), max_length=200)
    amount_net = models.DecimalField(_("amount excl. VAT (€)"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT (€)"), max_digits=10, decimal_places=2)
    amount_gross = models.DecimalField(_("amount incl. VAT (€)"), max_digits=10, decimal_places=2)
    seller = models.JSONField(_("seller"), default=dict)
    buyer = models.JSONField(_("buyer"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-number"]

    def __str__(self) -> str:
        return self.number


class CreditNoteCounter(models.Model):
    """Credit notes have their own gapless series per year, apart from invoices."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"AV-{self.year}: {self.last}"


class CreditNote(models.Model):
    """An « avoir »: cancels an issued invoice, which is never deleted nor edited."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="credit_note", verbose_name=_("invoice")
    )
    issued_on = models.DateField(_("issued on"))
    reason = models.CharField(_("reason"), max_length=300)
    amount_net = models.DecimalField(_("amount excl. VAT (€)"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT (€)"), max_digits=10, decimal_places=2)
    amount_gross = models.DecimalField(_("amount incl. VAT (€)"), max_digits=10, decimal_places=2)
    seller = models.JSONField(_("seller"), default=dict)
    buyer = models.JSONField(_("buyer"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-issued_on", "-number"]

    def __str__(self) -> str:
        return self.number


class ClusterProfile(models.Model):
    """The cluster's own legal details, printed on invoices (one row)."""

    name = models.CharField(_("name"), max_length=200, default="Grappe")
    legal_name = models.CharField(_("legal name"), max_length=200, default="Grappe")
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    iban = models.CharField(_("IBAN"), max_length=40, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    payment_days = models.PositiveSmallIntegerField(_("payment term (days)"), default=30)
    resignation_deadline = models.CharField(
        _("resignation rule"),
        max_length=200,
        default="",
        blank=True,
        help_text=_("Shown to members, e.g. 'in writing before 31 March'."),
    )

    class Meta:
        verbose_name = _("cluster profile")
        verbose_name_plural = _("cluster profile")

    def __str__(self) -> str:
        return self.name
