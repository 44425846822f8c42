"""The API's test world: a member organisation with contacts, memberships in every state the
actions need, an invoice, and a helper that calls the API as one of the usual people."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from grappe.accounts.tokens import api_token_create
from grappe.members.models import (
    AffiliationRole,
    ConsentChannel,
    ConsentSource,
    CreditNote,
    Invoice,
    Membership,
    MembershipStatus,
    Organisation,
    Person,
)
from grappe.members.services import consent_record, invoice_cancel, invoice_issue
from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

ROLES = ["anonymous", "registered", "member", "org_admin", "other_member", "staff", "expert"]


@dataclass
class World:
    member_org: Organisation
    non_member_org: Organisation
    listed: Person  # at the member organisation, agreed to the directory
    unlisted: Person  # at the member organisation, never asked
    active: Membership  # the member organisation's membership this year
    applied: Membership
    approved: Membership
    invoice: Invoice

    @cached_property
    def credit_note(self) -> CreditNote:
        """Made on first use, so that the other tests keep one invoice: last year's invoice of
        the member organisation, cancelled by this credit note."""
        clerk = UserFactory(is_staff=True)
        last_year = MembershipFactory(organisation=self.member_org, year=self.active.year - 1)
        invoice = invoice_issue(actor=clerk, membership=last_year)
        return invoice_cancel(actor=clerk, invoice=invoice, reason="Issued twice")

    def format(self, template: str) -> str:
        values = {
            "org": self.member_org.slug,
            "non_member": self.non_member_org.slug,
            "listed": self.listed.pk,
            "unlisted": self.unlisted.pk,
            "active": self.active.pk,
            "applied": self.applied.pk,
            "approved": self.approved.pk,
            "invoice": self.invoice.number,
        }
        if "{credit_note}" in template:
            values["credit_note"] = self.credit_note.number
        return template.format(**values)


def contact(organisation: Organisation, *, consent: bool | None, **person: Any) -> Person:
    someone = PersonFactory(**person)
    AffiliationFactory(person=someone, organisation=organisation, role=AffiliationRole.SALES)
    if consent is not None:
        consent_record(
            person=someone,
            channel=ConsentChannel.DIRECTORY,
            granted=consent,
            source=ConsentSource.PROFILE,
        )
    return someone


@pytest.fixture
def world(member_org) -> World:
    year = timezone.localdate().year
    clerk = UserFactory(is_staff=True)  # issues the invoice; not one of the callers
    active = Membership.objects.get(organisation=member_org)
    return World(
        member_org=member_org,
        non_member_org=OrganisationFactory(name="Ancien Laser", slug="ancien-laser"),
        listed=contact(member_org, consent=True, first_name="Alice", last_name="Listed"),
        unlisted=contact(member_org, consent=None, first_name="Bob", last_name="Unlisted"),
        active=active,
        applied=MembershipFactory(
            organisation=OrganisationFactory(name="Candidat Optique", slug="candidat-optique"),
            status=MembershipStatus.APPLIED,
            applied_at=timezone.now(),
        ),
        approved=MembershipFactory(
            organisation=OrganisationFactory(name="Admis Photon", slug="admis-photon"),
            status=MembershipStatus.APPROVED,
            start=dt.date(year, 3, 1),
        ),
        invoice=invoice_issue(actor=clerk, membership=active),
    )


@pytest.fixture
def call(request, client):
    """`call(role, method, path, body=None, token=False, **headers)`: the API as that role,
    through its session (default) or a token of its own."""
    names = itertools.count(1)

    def _call(
        role: str,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        token: bool = False,
        **headers: Any,
    ):
        caller: Client = client
        if role != "anonymous":
            user = request.getfixturevalue(role)
            if token:
                _token, raw_key = api_token_create(actor=user, name=f"script {next(names)}")
                headers["HTTP_AUTHORIZATION"] = f"Bearer {raw_key}"
            else:
                caller.force_login(user)
        if method == "GET":
            return caller.get(path, **headers)
        return caller.post(path, body or {}, content_type="application/json", **headers)

    return _call
