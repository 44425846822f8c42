"""The index follows the members services once their transaction commits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from grappe.directory.models import DirectoryEntry
from grappe.directory.search import DirectoryQuery, directory_search
from grappe.directory.tests.conftest import competences
from grappe.members.models import MembershipStatus, OrgKind, SizeClass
from grappe.members.services import (
    figures_declare,
    membership_end,
    organisation_create,
    organisation_update,
)

pytestmark = pytest.mark.django_db


def names(text="", **filters):
    page = directory_search(DirectoryQuery(text=text, **filters), viewer=AnonymousUser())
    return [o.name for o in page.results]


def test_an_updated_profile_is_searchable_after_commit(
    crafted, staff, django_capture_on_commit_callbacks
):
    organisation = crafted["imaging"]
    # when staff add a word and a competence
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        organisation_update(
            actor=staff,
            organisation=organisation,
            data={
                "description_fr": "Spectroscopie Raman embarquée.",
                "competences": competences("tech.systems.spectroscopy"),
            },
        )
    # then the index was refreshed once the transaction committed
    assert len(callbacks) == 1
    assert names("raman") == ["Vision Sud"]
    assert names(technology=["tech.systems"]) == ["Vision Sud"]
    assert names("hyperspectrale") == ["Vision Sud"]  # the English description still says so


def test_nothing_is_reindexed_when_the_transaction_rolls_back(crafted, staff):
    # given the test's transaction never commits, on_commit callbacks never run
    organisation_update(
        actor=staff, organisation=crafted["imaging"], data={"description_fr": "Raman."}
    )
    assert names("raman") == []


def test_a_declared_organisation_gets_an_entry(db, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = organisation_create(
            actor=staff,
            data={
                "name": "Nouvelle Optique",
                "legal_name": "Nouvelle Optique SAS",
                "kind": OrgKind.SME,
            },
        )
    entry = DirectoryEntry.objects.get(organisation=organisation)
    assert (entry.kind, entry.member_from, entry.sort_name) == ("sme", None, "nouvelle optique")
    assert names("nouvelle") == []  # not a member yet: not listed


def test_an_ended_membership_leaves_the_directory(
    crafted, staff, django_capture_on_commit_callbacks
):
    organisation = crafted["metrology"]
    membership = organisation.memberships.get(year=timezone.localdate().year)
    assert names("metrologie") == ["Mesures Occitanes"]
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(
            actor=staff,
            membership=membership,
            status=MembershipStatus.RESIGNED,
            on=timezone.localdate().replace(month=1, day=1),
        )
    assert names("metrologie") == []


def test_declared_figures_move_the_size_class(
    crafted, staff, member, django_capture_on_commit_callbacks
):
    organisation = crafted["metrology"]
    with django_capture_on_commit_callbacks(execute=True):
        figures_declare(
            actor=staff,
            organisation=organisation,
            year=timezone.localdate().year - 1,
            headcount=120,
            turnover=Decimal("20000000"),
            export_share=Decimal("40"),
            rnd_spend=Decimal("1000000"),
        )
    page = directory_search(DirectoryQuery(size_class=[SizeClass.MEDIUM]), viewer=member)
    assert [o.name for o in page.results] == ["Mesures Occitanes", "Vision Sud"]
