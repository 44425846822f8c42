"""Staff run the sessions: dates and schemes, the grid (and its copy from the previous
session), the committee, and the eligibility rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.members.tests.factories import UserFactory
from grappe.projects.models import (
    CommitteeMember,
    CommitteeRole,
    Criterion,
    EligibilityRule,
    LabellingSession,
    ReviewScore,
    RuleCheck,
)
from grappe.projects.services import sessions as services
from grappe.projects.tests.factories import (
    AssignmentFactory,
    RequestFactory,
    SessionFactory,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def session_data(**extra):
    now = timezone.now()
    return {
        "name_fr": "Session de printemps 2027", "name_en": "Spring 2027 session",
        "schemes": ["pspc", "idemo", "pspc"], "opens_at": now,
        "submission_deadline": now + dt.timedelta(days=30),
        "review_deadline": (now + dt.timedelta(days=50)).date(),
        "committee_date": (now + dt.timedelta(days=60)).date(),
        "experts_per_project": 2, "threshold": Decimal("3.20"),
    } | extra  # fmt: skip


def test_staff_create_a_session(db, staff):
    session = services.session_save(actor=staff, data=session_data())
    assert (session.slug, session.schemes, session.threshold, session.created_by) == (
        "session-de-printemps-2027", ["pspc", "idemo"], Decimal("3.20"), staff,
    )  # fmt: skip
    assert audit_for(session).first().action == "session.create"


def test_a_session_is_refused_with_each_field_named(db, staff):
    now = timezone.now()
    with pytest.raises(ValidationError) as refusal:
        services.session_save(
            actor=staff,
            data=session_data(
                name_fr=" ", schemes=["moon"], submission_deadline=now - dt.timedelta(days=1),
                review_deadline=(now - dt.timedelta(days=3)).date(),
                committee_date=(now - dt.timedelta(days=5)).date(), threshold=Decimal(6),
                slug="x",
            ),
        )  # fmt: skip
    assert refusal.value.message_dict == {
        "name_fr": ["Give the session's name in French."],
        "schemes": ["Choose funding schemes from the list."],
        "submission_deadline": ["The deadline comes after the opening."],
        "review_deadline": ["Reviews are due after the submission deadline."],
        "committee_date": ["The committee meets after the review deadline."],
        "threshold": ["The threshold is a score from 0 to 5."],
    }
    assert not LabellingSession.objects.exists()


def test_only_staff_run_sessions(db, member):
    with pytest.raises(PermissionDenied):
        services.session_save(actor=member, data=session_data())
    assert not LabellingSession.objects.exists()


def test_the_grid_of_the_previous_session_is_copied(db, staff):
    # given last session's grid with a changed weight, and a new empty session
    previous = SessionFactory(committee_date=timezone.localdate() - dt.timedelta(days=200),
                              review_deadline=timezone.localdate() - dt.timedelta(days=210),
                              submission_deadline=timezone.now() - dt.timedelta(days=240),
                              opens_at=timezone.now() - dt.timedelta(days=300))  # fmt: skip
    previous.criteria.filter(code="market").update(weight=Decimal(3))
    session = SessionFactory(grid=False)
    # when staff copy it
    copied = services.grid_copy(actor=staff, session=session)
    # then the new session has the same criteria, weights and eliminatory scores
    assert [(c.code, c.weight, c.eliminatory_below) for c in copied] == [
        (c.code, c.weight, c.eliminatory_below) for c in previous.criteria.order_by("position")
    ]
    assert Criterion.objects.get(session=session, code="market").weight == Decimal(3)


def test_a_grid_scored_against_is_not_replaced(db, staff):
    SessionFactory(committee_date=timezone.localdate() - dt.timedelta(days=1),
                   review_deadline=timezone.localdate() - dt.timedelta(days=2))  # fmt: skip
    session = SessionFactory()
    from grappe.projects.models import Review

    review = Review.objects.create(
        assignment=AssignmentFactory(request=RequestFactory(session=session))
    )
    ReviewScore.objects.create(review=review, criterion=session.criteria.first(), score=4)
    with pytest.raises(ValidationError) as refusal:
        services.grid_copy(actor=staff, session=session)
    assert refusal.value.message_dict == {
        "source": ["Experts have already scored against this grid: it stays."]
    }
    assert session.criteria.count() == 7


def test_a_criterion_is_added_and_checked(db, staff):
    session = SessionFactory(grid=False)
    criterion = services.criterion_save(
        actor=staff, session=session,
        data={"code": "Impact Export", "name_fr": "Export", "weight": Decimal("1.5"),
              "eliminatory_below": 2},
    )  # fmt: skip
    assert (criterion.code, criterion.weight) == ("impact-export", Decimal("1.5"))
    with pytest.raises(ValidationError) as refusal:
        services.criterion_save(
            actor=staff, session=session,
            data={"code": "impact-export", "name_fr": "", "weight": Decimal(0),
                  "eliminatory_below": 7},
        )  # fmt: skip
    assert refusal.value.message_dict == {
        "code": ["Another criterion of this grid has this code."],
        "name_fr": ["Give the criterion's name in French."],
        "weight": ["The weight is a positive number."],
        "eliminatory_below": ["A score from 0 to 5, or empty."],
    }


def test_the_committee_has_one_chair(db, staff):
    session = SessionFactory()
    chair, other = UserFactory(), UserFactory()
    services.committee_add(
        actor=staff, session=session, email=chair.email, role=CommitteeRole.CHAIR
    )
    with pytest.raises(ValidationError) as refusal:
        services.committee_add(
            actor=staff, session=session, email=other.email, role=CommitteeRole.CHAIR
        )
    assert refusal.value.message_dict == {"role": ["The committee already has a chair."]}
    with pytest.raises(ValidationError) as refusal:
        services.committee_add(actor=staff, session=session, email="x@y.z", role="member")
    assert refusal.value.message_dict == {"email": ["No registered user has this address."]}
    assert list(CommitteeMember.objects.values_list("user", "role")) == [(chair.pk, "chair")]


# --- eligibility rules -----------------------------------------------------------------------


def test_staff_edit_a_rule_and_its_messages(db, staff):
    rule = EligibilityRule.objects.get(scheme="pspc", rule=RuleCheck.MAX_PARTNER_SHARE)
    services.rule_save(
        actor=staff, rule=rule,
        data={"params": {"percent": 60}, "message_en": "Above {percent} %: {partner} ({share} %)."},
    )  # fmt: skip
    rule.refresh_from_db()
    assert (rule.params, rule.message_en) == (
        {"percent": 60}, "Above {percent} %: {partner} ({share} %).",
    )  # fmt: skip
    assert audit_for(rule).first().action == "rule.update"


def test_a_rule_with_unknown_placeholders_or_params_is_refused(db, staff):
    with pytest.raises(ValidationError) as refusal:
        services.rule_save(
            actor=staff,
            data={"scheme": "anr", "rule": RuleCheck.MIN_PARTNERS, "params": {"count": 2},
                  "message_fr": "Au moins {n} ({found}) {budget}", "message_en": "Bad {"},
        )  # fmt: skip
    assert refusal.value.message_dict == {
        "params": ["This check takes these parameters: n."],
        "message_fr": ["Unknown placeholders: budget. Available: found, n."],
        "message_en": ["Unbalanced braces: write placeholders as {name}."],
    }
    assert not EligibilityRule.objects.filter(scheme="anr").exists()


def test_only_staff_edit_rules(db, member):
    rule = EligibilityRule.objects.first()
    with pytest.raises(PermissionDenied):
        services.rule_save(actor=member, rule=rule, data={"is_active": False})
    rule.refresh_from_db()
    assert rule.is_active


# --- staff pages -------------------------------------------------------------------------------


def test_staff_create_a_session_from_the_page(client, staff):
    client.force_login(staff)
    now = timezone.localtime()
    response = client.post(
        reverse("projects:staff_session_create"),
        {
            "name_fr": "Automne", "name_en": "Autumn", "schemes": ["pspc", "anr"],
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "submission_deadline": (now + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
            "review_deadline": (now + dt.timedelta(days=40)).strftime("%Y-%m-%d"),
            "committee_date": (now + dt.timedelta(days=45)).strftime("%Y-%m-%d"),
            "experts_per_project": "2", "threshold": "3",
        },
    )  # fmt: skip
    session = LabellingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:staff_session", kwargs={"slug": "automne"})
    assert session.schemes == ["pspc", "anr"]


def test_the_session_page_counts_files_by_status_in_few_queries(
    client, staff, django_assert_max_num_queries
):
    session = SessionFactory()
    for status in ("draft", "submitted", "submitted", "under_review"):
        RequestFactory(session=session, status=status)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("projects:staff_session", kwargs={"slug": session.slug}))
    assert [(value, count) for value, _label, count in response.context["counts"]] == [
        ("draft", 1), ("submitted", 2), ("under_review", 1),
    ]  # fmt: skip


def test_a_rule_is_edited_from_the_page(client, staff):
    rule = EligibilityRule.objects.get(scheme="idemo", rule=RuleCheck.MAX_PARTNERS)
    client.force_login(staff)
    response = client.post(
        reverse("projects:staff_rule_edit", kwargs={"pk": rule.pk}),
        {"scheme": "idemo", "rule": "max_partners", "params": '{"n": 5}',
         "message_fr": rule.message_fr, "message_en": rule.message_en, "is_active": "on",
         "position": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.params == {"n": 5}
    response = client.post(
        reverse("projects:staff_rule_edit", kwargs={"pk": rule.pk}),
        {"scheme": "idemo", "rule": "max_partners", "params": "[1]",
         "message_fr": "x", "message_en": "y", "position": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors == {"params": ["Write the parameters as a JSON object."]}
