"""Organisations, their yearly figures and the visibility of their profile fields."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grappe.core.i18n import in_language
from grappe.core.models import TimeStampedModel
from grappe.members.regions import REGION_CHOICES, country_choices
from grappe.members.validators import validate_siren, validate_siret, validate_vat


class OrgKind(models.TextChoices):
    STARTUP = "startup", _("Start-up")
    SME = "sme", _("SME")
    MIDSIZE = "midsize", _("Mid-size firm")
    LARGE = "large", _("Large company")
    LAB = "lab", _("Research lab")
    UNIVERSITY = "university", _("University or school")
    TECH_CENTRE = "tech_centre", _("Technical centre")
    PUBLIC = "public", _("Public body")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


COMPANY_KINDS = {OrgKind.STARTUP, OrgKind.SME, OrgKind.MIDSIZE, OrgKind.LARGE}
RESEARCH_KINDS = {OrgKind.LAB, OrgKind.UNIVERSITY, OrgKind.TECH_CENTRE}


class College(models.TextChoices):
    SME = "sme", _("SMEs and start-ups")
    LARGE = "large", _("Mid-size and large firms")
    RESEARCH = "research", _("Research and training")
    OTHER = "other", _("Other members")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro (< 10)")
    SMALL = "small", _("Small (< 50)")
    MEDIUM = "medium", _("Medium (< 250)")
    MIDSIZE = "midsize", _("Mid-size (< 5,000)")
    LARGE = "large", _("Large")
    UNKNOWN = "", _("Not declared")


class LegalForm(models.TextChoices):
    SAS = "sas", "SAS"
    SASU = "sasu", "SASU"
    SARL = "sarl", "SARL"
    EURL = "eurl", "EURL"
    SA = "sa", "SA"
    SCOP = "scop", "SCOP"
    ASSOCIATION = "association", _("Association (loi 1901)")
    EPST = "epst", _("EPST (public research body)")
    EPIC = "epic", _("EPIC (public industrial body)")
    EPSCP = "epscp", _("EPSCP (university)")
    GIE = "gie", "GIE"
    FOREIGN = "foreign", _("Foreign company")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    STAFF = "staff", _("Staff only")


VISIBILITY_RANK: dict[str, int] = {
    Visibility.PUBLIC.value: 0,
    Visibility.MEMBERS.value: 1,
    Visibility.STAFF.value: 2,
}


class Organisation(TimeStampedModel):
    legal_name = models.CharField(_("legal name"), max_length=200)
    name = models.CharField(_("usual name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(
        _("SIRET (head office)"), max_length=14, blank=True, validators=[validate_siret]
    )
    vat_number = models.CharField(
        _("intra-EU VAT number"), max_length=16, blank=True, validators=[validate_vat]
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    college = models.CharField(
        _("collège"),
        max_length=20,
        choices=College.choices,
        help_text=_("Derived from kind and size."),
    )
    college_override = models.CharField(
        _("collège set by staff"), max_length=20, choices=College.choices, blank=True
    )
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    parent_group = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidiaries",
    )
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(
        _("region (NUTS 2)"), max_length=4, choices=REGION_CHOICES, blank=True
    )
    country = models.CharField(_("country"), max_length=2, choices=country_choices, default="FR")
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1500), MaxValueValidator(2100)],
    )
    nace_code = models.CharField(_("NACE code"), max_length=10, blank=True)
    competences = models.ManyToManyField(
        "members.Competence",
        verbose_name=_("competences"),
        blank=True,
        related_name="organisations",
    )
    visibility = models.JSONField(
        _("field visibility"),
        default=dict,
        blank=True,
        help_text=_("Chosen by the organisation's administrators within the limits staff set."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["region"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:profile", kwargs={"slug": self.slug})

    @property
    def description(self) -> str:
        return in_language(self.description_fr, self.description_en)

    @property
    def effective_college(self) -> str:
        return self.college_override or self.college


class OrganisationFigures(TimeStampedModel):
    """What an organisation declared for one year; corrections are kept in the audit trail."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("year"))
    headcount = models.PositiveIntegerField(_("headcount (FTE)"))
    turnover = models.DecimalField(_("turnover (€)"), max_digits=14, decimal_places=2)
    export_share = models.DecimalField(
        _("export share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    rnd_spend = models.DecimalField(_("R&D spend (€)"), max_digits=14, decimal_places=2)
    balance_sheet = models.DecimalField(
        _("balance-sheet total (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_figures_per_year"),
            models.CheckConstraint(
                condition=models.Q(export_share__gte=0) & models.Q(export_share__lte=100),
                name="export_share_is_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(turnover__gte=0) & models.Q(rnd_spend__gte=0),
                name="figures_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class FieldPolicy(models.Model):
    """Staff's limit for one profile field: its default and the most open level allowed."""

    field = models.CharField(_("field"), max_length=40, unique=True)
    default = models.CharField(_("default"), max_length=10, choices=Visibility.choices)
    most_open = models.CharField(
        _("most open level allowed"), max_length=10, choices=Visibility.choices
    )

    class Meta:
        verbose_name = _("field visibility policy")
        verbose_name_plural = _("field visibility policies")

    def __str__(self) -> str:
        return self.field
