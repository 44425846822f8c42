"""Events, their published price list, their questions and their programme."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from grappe.core.i18n import in_language
from grappe.core.models import TimeStampedModel
from grappe.members.regions import country_choices


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    TRAINING = "training", _("Training")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    TRADE_MISSION = "trade_mission", _("Trade mission")
    GENERAL_ASSEMBLY = "general_assembly", _("General assembly")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class EventVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class PricingBasis(models.TextChoices):
    """How a price is set, as the EU rules for cluster activities ask (GBER art. 27)."""

    MARKET = "market", _("Market price")
    COST = "cost", _("Reflects costs")
    FREE = "free", _("Free of charge")


class Event(TimeStampedModel):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=EventVisibility.choices,
        default=EventVisibility.PUBLIC,
        help_text=_("Members-only events are listed to members and staff only."),
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_fr = models.CharField(_("summary (French)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=50,
        default="Europe/Paris",
        help_text=_("Times are shown in the event's own time zone (a trade mission abroad)."),
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(
        _("country or destination"), max_length=2, choices=country_choices, default="FR"
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Sent to registrants only.")
    )
    organiser = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_organised",
        help_text=_("Empty when the cluster itself organises the event."),
    )
    partners = models.ManyToManyField(
        "members.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="events_partnered",
    )
    competences = models.ManyToManyField(
        "members.Competence", verbose_name=_("competences"), blank=True, related_name="events"
    )
    image = models.ImageField(_("image"), upload_to="events/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    # Registration: its own window, separate from the price windows.
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    cancellation_deadline = models.DateTimeField(
        _("cancellation deadline"),
        null=True,
        blank=True,
        help_text=_("Registrants may cancel online until then; staff at any time."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to confirm a freed seat"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("A person promoted from the waitlist confirms within this time."),
    )
    pricing_basis = models.CharField(
        _("how prices are set"),
        max_length=10,
        choices=PricingBasis.choices,
        default=PricingBasis.COST,
    )
    pricing_note_fr = models.TextField(_("note on prices (French)"), blank=True)
    pricing_note_en = models.TextField(_("note on prices (English)"), blank=True)
    published_at = models.DateTimeField(
        pgettext_lazy("event", "published on"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["kind", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gte=F("registration_opens_at")),
                name="event_registration_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def title(self) -> str:
        return in_language(self.title_fr, self.title_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_fr, self.summary_en)

    @property
    def description(self) -> str:
        return in_language(self.description_fr, self.description_en)

    @property
    def pricing_note(self) -> str:
        return in_language(self.pricing_note_fr, self.pricing_note_en)

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue_name and not self.street


class PriceCategory(models.TextChoices):
    """Who a ticket is for; eligibility is checked on the server on the event date."""

    MEMBER = "member", _("Member")
    NON_MEMBER = "non_member", _("Non-member")
    ACADEMIC = "academic", _("Academic or public research")
    STUDENT = "student", _("Student")
    GUEST = "guest", _("Speaker or guest")


class TicketCategory(models.Model):
    """One line of the event's public price list: who may take it and how many seats."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tickets")
    category = models.CharField(_("category"), max_length=12, choices=PriceCategory.choices)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(
        _("seats for this category"), null=True, blank=True, help_text=_("Empty: no own limit.")
    )
    invitation_only = models.BooleanField(
        _("by invitation"),
        default=False,
        help_text=_("Only staff register people on it (speakers, guests)."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")
        ordering = ["event", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "category"], name="one_ticket_per_category")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_fr, self.name_en) or str(self.get_category_display())


class Price(models.Model):
    """A price of a ticket category, in force between two optional dates (early bird)."""

    ticket = models.ForeignKey(TicketCategory, on_delete=models.CASCADE, related_name="prices")
    label_fr = models.CharField(_("label (French)"), max_length=80, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=80, blank=True)
    amount = models.DecimalField(
        _("price excl. VAT (€)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    valid_from = models.DateField(pgettext_lazy("price window", "from"), null=True, blank=True)
    valid_until = models.DateField(pgettext_lazy("price window", "until"), null=True, blank=True)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["ticket", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="price_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="price_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.amount}"

    @property
    def label(self) -> str:
        return in_language(self.label_fr, self.label_en)

    @property
    def amount_with_vat(self) -> Decimal:
        return (self.amount * (1 + self.vat_rate / 100)).quantize(Decimal("0.01"))


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    CHOICE = "choice", _("One choice")
    CHOICES = "choices", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")


class Question(models.Model):
    """A question asked at registration (diet, workshop choice...)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label_fr = models.CharField(_("question (French)"), max_length=200)
    label_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    choices_fr = models.TextField(_("choices (French, one per line)"), blank=True)
    choices_en = models.TextField(_("choices (English, one per line, same order)"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["event", "position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.label_fr, self.label_en)

    @property
    def options(self) -> list[tuple[str, str]]:
        """(stored value, label in the reader's language); the French text is the value."""
        values = [line.strip() for line in self.choices_fr.splitlines() if line.strip()]
        labels = [line.strip() for line in self.choices_en.splitlines() if line.strip()]
        english = (get_language() or "fr").startswith("en") and len(labels) == len(values)
        return [(v, labels[i] if english else v) for i, v in enumerate(values)]


class ProgrammeItemKind(models.TextChoices):
    TALK = "talk", _("Talk")
    SESSION = "session", _("Session")
    BREAK = "break", _("Break")
    VISIT = "visit", _("Site visit")
    MEETING = "meeting", _("Business meeting")
    RECEPTION = "reception", _("Reception")
    TRAVEL = "travel", _("Travel")


class ProgrammeItem(models.Model):
    """One line of an event's programme (talks, or a trade mission's visits and meetings)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    kind = models.CharField(_("kind"), max_length=10, choices=ProgrammeItemKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("host or speaker's organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    speaker = models.CharField(_("speaker or contact"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        ordering = ["event", "starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_fr, self.title_en)


class EventMailing(models.Model):
    """A message staff sent to an event's registrants, kept as a record."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="mailings")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    audience = models.CharField(
        _("sent to"),
        max_length=20,
        choices=[
            ("confirmed", _("Confirmed registrants")),
            ("waitlisted", _("People on the waitlist")),
            ("all", _("Everyone registered or waiting")),
            ("checked_in", _("People who came")),
        ],
        default="confirmed",
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mail to registrants")
        verbose_name_plural = _("mails to registrants")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.subject
