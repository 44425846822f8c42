"""People, their dated affiliations to organisations, and their consents per channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grappe.core.models import TimeStampedModel


class Person(TimeStampedModel):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    competences = models.ManyToManyField(
        "members.Competence", verbose_name=_("competences"), blank=True, related_name="people"
    )
    visibility = models.JSONField(_("field visibility"), default=dict, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class AffiliationRole(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    TECHNICAL = "technical", _("Technical / R&D")
    SALES = "sales", _("Sales and marketing")
    FINANCE = "finance", _("Administration and finance")
    RESEARCHER = "researcher", _("Researcher")
    COMMUNICATION = "communication", _("Communication")
    OTHER = "other", _("Other")


class AffiliationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the organisation's confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class Affiliation(TimeStampedModel):
    """A person works for an organisation from `start` to `end` (open-ended when empty)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="affiliations"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=AffiliationRole.choices, default=AffiliationRole.OTHER
    )
    is_admin = models.BooleanField(
        _("administrator"), default=False, help_text=_("Edits the profile and the contacts.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AffiliationStatus.choices,
        default=AffiliationStatus.CONFIRMED,
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="affiliation_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation}"


class ConsentChannel(models.TextChoices):
    DIRECTORY = "directory", _("Listing in the directory")
    NEWSLETTER = "newsletter", _("Newsletter")


class ConsentSource(models.TextChoices):
    SIGNUP = "signup", _("Sign-up form")
    PROFILE = "profile", _("Own profile")
    IMPORT = "import", _("Import")
    STAFF = "staff", _("Recorded by staff")
    DEMO = "demo", _("Demo data")


class Consent(models.Model):
    """One decision of a person on one channel; the latest row per channel is in force."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=20, choices=ConsentChannel.choices)
    granted = models.BooleanField(_("granted"))
    at = models.DateTimeField(_("date"))
    source = models.CharField(_("source"), max_length=20, choices=ConsentSource.choices)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "channel", "-at"])]

    def __str__(self) -> str:
        return f"{self.person} {self.channel} {self.granted}"
