"""Labelling sessions (calls), their evaluation grid, committee and the schemes' rules."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grappe.core.i18n import in_language
from grappe.core.models import TimeStampedModel


class FundingScheme(models.TextChoices):
    PSPC = "pspc", _("PSPC-Régions / FUI")
    IDEMO = "idemo", _("i-Démo (France 2030)")
    ANR = "anr", _("ANR")
    BPI = "bpi", _("Bpifrance")
    REGION = "region", _("Region")
    HORIZON = "horizon", _("Horizon Europe")
    OTHER = "other", _("Other")


class LabellingSession(TimeStampedModel):
    """A call: files are submitted before its deadline, reviewed, then decided in committee."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    schemes = models.JSONField(
        _("target funding schemes"), default=list, help_text=_("Codes of FundingScheme.")
    )
    opens_at = models.DateTimeField(_("opens"))
    submission_deadline = models.DateTimeField(_("submission deadline"))
    review_deadline = models.DateField(_("review deadline"))
    committee_date = models.DateField(_("committee date"))
    experts_per_project = models.PositiveSmallIntegerField(
        _("experts per project"), default=2, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    threshold = models.DecimalField(
        _("label threshold (weighted mean out of 5)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("labelling session")
        verbose_name_plural = _("labelling sessions")
        ordering = ["-committee_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission_deadline__gte=F("opens_at")), name="session_opens_first"
            ),
            models.CheckConstraint(
                condition=Q(committee_date__gte=F("review_deadline")),
                name="session_committee_after_reviews",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:session", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return in_language(self.name_fr, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_fr, self.description_en)


class Criterion(models.Model):
    """One line of the session's evaluation grid, scored 0–5."""

    session = models.ForeignKey(LabellingSession, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    guidance_fr = models.TextField(_("guidance (French)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    eliminatory_below = models.PositiveSmallIntegerField(
        _("eliminatory below"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5)],
        help_text=_(
            "A mean score under this value rejects the file whatever the rest. Empty: "
            "not eliminatory."
        ),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("evaluation grid")
        ordering = ["session", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "code"], name="unique_criterion_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_fr, self.name_en)

    @property
    def guidance(self) -> str:
        return in_language(self.guidance_fr, self.guidance_en)


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class CommitteeMember(models.Model):
    session = models.ForeignKey(
        LabellingSession, on_delete=models.CASCADE, related_name="committee"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_seats"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_seat_per_committee")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class RuleCheck(models.TextChoices):
    """The kinds of eligibility check a rule can run; its numbers are in `params`."""

    MIN_COMPANIES = "min_companies", _("At least N independent companies")
    MIN_RESEARCH = "min_research", _("At least N labs or research bodies")
    LED_BY_COMPANY = "led_by_company", _("Coordinated by a company")
    MAX_PARTNER_SHARE = "max_partner_share", _("No partner above P % of the budget")
    MIN_TERRITORY_SHARE = "min_territory_share", _("At least P % of the budget in the territory")
    MAX_PARTNERS = "max_partners", _("At most N partners")
    MIN_SME_OR_MIDSIZE = "min_sme_or_midsize", _("At least N SMEs or mid-size firms")
    MIN_PARTNERS = "min_partners", _("At least N partners")
    MIN_MEMBER_PARTNERS = "min_member_partners", _("At least N partners are members")


class EligibilityRule(models.Model):
    """One eligibility rule of a funding scheme, as data: run at submission."""

    scheme = models.CharField(_("scheme"), max_length=10, choices=FundingScheme.choices)
    rule = models.CharField(_("check"), max_length=30, choices=RuleCheck.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    message_fr = models.CharField(_("message when broken (French)"), max_length=300)
    message_en = models.CharField(_("message when broken (English)"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["scheme", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()}: {self.get_rule_display()}"

    @property
    def message(self) -> str:
        return in_language(self.message_fr, self.message_en)
