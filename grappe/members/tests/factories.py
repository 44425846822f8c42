"""Factories for members: users, people, organisations, affiliations, memberships, dues."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from grappe.accounts.models import User
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    College,
    FeeBand,
    FeeBasis,
    FeeSchedule,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationFigures,
    OrgKind,
    Person,
    SizeClass,
)

PASSWORD = "correct horse battery"  # every test login's password


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "fr"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Photonique {n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} SAS")
    slug = factory.Sequence(lambda n: f"photonique-{n}")
    kind = OrgKind.SME
    college = College.SME
    size_class = SizeClass.SMALL
    city = "Marseille"
    region = "FRL0"
    country = "FR"
    description_fr = "Conception de systèmes optiques."
    description_en = "Design of optical systems."


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = AffiliationStatus.CONFIRMED
    start = dt.date(2020, 1, 1)


class FiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationFigures

    organisation = factory.SubFactory(OrganisationFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year - 1)
    headcount = 20
    turnover = Decimal("3000000.00")
    export_share = Decimal("40.00")
    rnd_spend = Decimal("450000.00")
    size_class = SizeClass.SMALL


class MembershipFactory(factory.django.DjangoModelFactory):
    """An active membership for the current year."""

    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    status = MembershipStatus.ACTIVE
    start = factory.LazyAttribute(lambda m: dt.date(m.year, 1, 1))
    end = factory.LazyAttribute(lambda m: dt.date(m.year, 12, 31))
    college = College.SME
    fee_full = Decimal("1100.00")
    fee = Decimal("1100.00")


def fee_schedule(year: int) -> FeeSchedule:
    """The example schedule of DOMAIN.md: by turnover for firms, flat for research and others."""
    schedule, _ = FeeSchedule.objects.get_or_create(year=year, defaults={"vat_rate": Decimal(20)})
    million = Decimal(1_000_000)
    bands = [
        (Decimal(0), Decimal("0.5") * million, Decimal(220)),
        (Decimal("0.5") * million, 2 * million, Decimal(550)),
        (2 * million, 5 * million, Decimal(1100)),
        (5 * million, 10 * million, Decimal(1650)),
        (10 * million, None, Decimal(2200)),
    ]
    for college in (College.SME, College.LARGE):
        for low, high, amount in bands:
            FeeBand.objects.get_or_create(
                schedule=schedule, college=college, basis=FeeBasis.TURNOVER, minimum=low,
                maximum=high, defaults={"amount": amount},
            )  # fmt: skip
    for college in (College.RESEARCH, College.OTHER):
        FeeBand.objects.get_or_create(
            schedule=schedule, college=college, basis=FeeBasis.FLAT,
            defaults={"amount": Decimal(1100)},
        )  # fmt: skip
    return schedule
