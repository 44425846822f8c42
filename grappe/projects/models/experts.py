"""The expert pool, declared relationships and conflicts, assignments and reviews."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grappe.core.models import TimeStampedModel
from grappe.projects.models.files import Decision

# The version of the confidentiality agreement experts accept on the platform (its text is in
# templates/projects/experts/_agreement_{fr,en}.html). Change both together: an expert who
# accepted an older version accepts the new one before seeing any file again.
NDA_VERSION = "2026-1"


class ExpertKind(models.TextChoices):
    STAFF = "staff", _("Cluster staff")
    MEMBER = "member", _("Member volunteer")
    EXTERNAL = "external", _("Outside expert")


class ExpertProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ExpertKind.choices)
    employer = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
    )
    competences = models.ManyToManyField(
        "members.Competence", verbose_name=_("competences"), blank=True, related_name="experts"
    )
    load_limit = models.PositiveSmallIntegerField(
        _("files per session at most"), default=4, validators=[MaxValueValidator(50)]
    )
    bio = models.TextField(_("expertise"), blank=True)
    nda_accepted_at = models.DateTimeField(
        _("confidentiality agreement accepted"), null=True, blank=True
    )
    nda_version = models.CharField(_("agreement version"), max_length=20, blank=True)
    is_active = models.BooleanField(_("available"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email


class RelationshipKind(models.TextChoices):
    COMPETITOR = "competitor", _("Competitor")
    CLIENT = "client", _("Client")
    SUPPLIER = "supplier", _("Supplier")
    SHAREHOLDER = "shareholder", _("Shareholder")
    FORMER_EMPLOYER = "former_employer", _("Former employer (last 3 years)")
    OTHER = "other", _("Other tie")


class ExpertRelationship(models.Model):
    """A tie the expert declared with an organisation: a conflict with any file it is in."""

    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="relationships"
    )
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="expert_relationships"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RelationshipKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared relationship")
        verbose_name_plural = _("declared relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "organisation", "kind"], name="unique_expert_relationship"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.organisation} ({self.get_kind_display()})"


class ExpertExclusion(models.Model):
    """An expert the applicant asks to keep away from the file, with a reason."""

    request = models.ForeignKey(
        "projects.LabellingRequest", on_delete=models.CASCADE, related_name="exclusions"
    )
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="exclusions")
    reason = models.CharField(_("reason"), max_length=300)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("expert excluded by the applicant")
        verbose_name_plural = _("experts excluded by the applicant")
        constraints = [
            models.UniqueConstraint(fields=["request", "expert"], name="unique_exclusion")
        ]

    def __str__(self) -> str:
        return f"{self.expert} ✗ {self.request}"


class ConflictDeclaration(models.Model):
    """The expert's own declaration of a conflict with one file."""

    request = models.ForeignKey(
        "projects.LabellingRequest", on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict declared by the expert")
        verbose_name_plural = _("conflicts declared by experts")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "expert"], name="unique_conflict_declaration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} ≠ {self.request}"


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, not yet confirmed by staff")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("assignment", "Withdrawn")


# Assignments that count towards an expert's load and a file's number of experts.
LIVE_ASSIGNMENT = (AssignmentStatus.PROPOSED, AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED)


class AssignmentSource(models.TextChoices):
    OPTIMISER = "optimiser", _("Optimiser")
    MANUAL = "manual", _("By hand")
    REPLACEMENT = "replacement", _("Replacement")


class Assignment(TimeStampedModel):
    request = models.ForeignKey(
        "projects.LabellingRequest", on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PROPOSED,
    )
    source = models.CharField(_("source"), max_length=12, choices=AssignmentSource.choices)
    match = models.DecimalField(
        _("competence match"), max_digits=5, decimal_places=3, default=Decimal(0)
    )
    due_on = models.DateField(_("review due"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "expert"], name="one_assignment_per_expert")
        ]
        indexes = [models.Index(fields=["expert", "status"])]

    def __str__(self) -> str:
        return f"{self.expert} → {self.request}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("review", "Submitted")


class Review(TimeStampedModel):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=24, choices=Decision.choices, blank=True
    )
    text_to_applicant = models.TextField(_("text for the applicant"), blank=True)
    note_to_committee = models.TextField(_("note to the committee (confidential)"), blank=True)
    weighted_score = models.DecimalField(
        _("weighted score (out of 5)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.assignment}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "projects.Criterion", on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        _("score (0–5)"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=5), name="score_at_most_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
