"""A project, its labelling requests (one per call), consortium, contacts, documents and
certificates. A label is granted for one call: a resubmission is a new request of the same
project, and the project keeps the history."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grappe.core.models import TimeStampedModel
from grappe.members.models import OrgKind, SizeClass
from grappe.members.regions import country_choices
from grappe.projects.models.sessions import FundingScheme
from grappe.projects.storage import document_upload_to, get_private_storage


class Project(TimeStampedModel):
    acronym = models.CharField(_("acronym"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    lead = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        related_name="projects_led",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("R&D project")
        verbose_name_plural = _("R&D projects")
        ordering = ["acronym"]

    def __str__(self) -> str:
        return self.acronym


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INADMISSIBLE = "inadmissible", _("Inadmissible")
    UNDER_REVIEW = "under_review", _("Under review")
    REVIEWS_COMPLETE = "reviews_complete", _("Reviews complete")
    COMMITTEE = "committee", _("On the committee's agenda")
    LABELLED = "labelled", _("Labelled")
    LABELLED_RESERVATIONS = "labelled_reservations", _("Labelled with reservations")
    SUPPORT_LETTER = "support_letter", _("Support letter")
    DEFERRED = "deferred", _("Deferred")
    REJECTED = "rejected", _("Rejected")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    SUBMITTED_TO_FUNDER = "submitted_to_funder", _("Submitted to the funder")
    FUNDED = "funded", _("Funded")
    NOT_FUNDED = "not_funded", _("Not funded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class Decision(models.TextChoices):
    """The committee's decision (also an expert's recommendation)."""

    LABELLED = "labelled", _("Labelled")
    LABELLED_RESERVATIONS = "labelled_reservations", _("Labelled with reservations")
    SUPPORT_LETTER = "support_letter", _("Support letter")
    DEFERRED = "deferred", _("Deferred")
    REJECTED = "rejected", _("Rejected")


class Stage(models.TextChoices):
    FULL = "full", _("Full proposal")
    PRE_PROPOSAL = "pre_proposal", _("Pre-proposal (opinion)")


class LabellingRequest(TimeStampedModel):
    """One submission of a project to one call: the file the experts and committee judge."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="requests")
    session = models.ForeignKey(
        "projects.LabellingSession",
        verbose_name=_("labelling session"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("resubmission of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resubmission",
    )
    scheme = models.CharField(_("target scheme"), max_length=10, choices=FundingScheme.choices)
    funding_call = models.CharField(_("funder's call"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices, default=Stage.FULL)
    status = models.CharField(
        _("status"), max_length=24, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    summary_public = models.TextField(
        _("public summary"), help_text=_("Shown publicly once labelled, if the consortium agrees.")
    )
    description = models.TextField(_("confidential description"), blank=True)
    total_budget = models.DecimalField(
        _("total budget (€)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    trl_start = models.PositiveSmallIntegerField(
        _("TRL at start"), default=3, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    trl_target = models.PositiveSmallIntegerField(
        _("target TRL"), default=6, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    competences = models.ManyToManyField(
        "members.Competence",
        verbose_name=_("technologies and markets"),
        blank=True,
        related_name="labelling_requests",
    )
    impact_jobs = models.PositiveIntegerField(_("jobs created (expected)"), default=0)
    impact_turnover = models.DecimalField(
        _("additional turnover at 5 years (€)"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    impact_export_share = models.DecimalField(
        _("export share of that turnover (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    impact_environment = models.TextField(_("environmental impact"), blank=True)
    publish_consent = models.BooleanField(
        _("the consortium agrees to publish the summary"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inadmissible_reason = models.TextField(_("why inadmissible"), blank=True)
    decision = models.CharField(_("decision"), max_length=24, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reservations = models.TextField(_("reservations"), blank=True)
    decision_text = models.TextField(_("text to the applicant"), blank=True)
    funder_reference = models.CharField(_("funder's reference"), max_length=100, blank=True)
    submitted_to_funder_on = models.DateField(
        _("submitted to the funder on"), null=True, blank=True
    )
    outcome = models.CharField(
        _("funding outcome"),
        max_length=24,
        blank=True,
        choices=[
            ("funded", _("Funded")),
            ("not_funded", _("Not funded")),
            ("withdrawn", _("Withdrawn")),
        ],
        help_text=_("Kept when the file is closed."),
    )
    outcome_on = models.DateField(_("funding outcome on"), null=True, blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = models.TextField(_("why withdrawn"), blank=True)

    class Meta:
        verbose_name = _("labelling request")
        verbose_name_plural = _("labelling requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "session"], name="one_request_per_call"),
            models.CheckConstraint(
                condition=Q(trl_target__gte=F("trl_start")), name="trl_target_not_below_start"
            ),
            models.CheckConstraint(condition=Q(total_budget__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project.acronym} ({self.session})"

    def get_absolute_url(self) -> str:
        return reverse("projects:request", kwargs={"pk": self.pk})


class PartnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")


class Partner(models.Model):
    """A member of the consortium: an organisation of the platform or an outside one."""

    request = models.ForeignKey(LabellingRequest, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_partnerships",
    )
    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=country_choices, default="FR")
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    group_name = models.CharField(
        _("group"),
        max_length=200,
        blank=True,
        help_text=_("Partners of one group are not independent of each other."),
    )
    role = models.CharField(_("role"), max_length=14, choices=PartnerRole.choices)
    in_territory = models.BooleanField(_("R&D in the cluster's territory"), default=True)
    budget = models.DecimalField(
        _("budget (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    requested_aid = models.DecimalField(
        _("aid requested (€)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    obtained_aid = models.DecimalField(
        _("aid obtained (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("consortium")
        ordering = ["request", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(role="coordinator"),
                name="one_coordinator_per_request",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="partner_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectContact(models.Model):
    """A person of the consortium who may read and edit the file (the draft) together."""

    request = models.ForeignKey(LabellingRequest, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_contacts"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("consortium contact")
        verbose_name_plural = _("consortium contacts")
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="one_contact_row_per_user")
        ]

    def __str__(self) -> str:
        return str(self.user)


class DocumentKind(models.TextChoices):
    DESCRIPTION = "description", _("Technical description")
    BUDGET = "budget", _("Budget annex")
    LETTER = "letter", _("Letter of commitment")
    PRESENTATION = "presentation", _("Presentation")
    OTHER = "other", _("Other")


class ProjectDocument(models.Model):
    request = models.ForeignKey(
        LabellingRequest, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=document_upload_to, storage=get_private_storage, max_length=200
    )
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["request", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.title


class CertificateKind(models.TextChoices):
    LABEL = "label", _("Label certificate")
    SUPPORT_LETTER = "support_letter", _("Support letter")
    OPINION = "opinion", _("Opinion on a pre-proposal")


class Certificate(models.Model):
    """A numbered certificate; a funder checks it at its public URL (the token)."""

    request = models.OneToOneField(
        LabellingRequest, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CertificateKind.choices)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.TextField(_("why revoked"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("projects:verify", kwargs={"token": self.token})


class CertificateCounter(models.Model):
    """The last number issued in a year: numbers are gapless (locked row)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
