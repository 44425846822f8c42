"""The pages of the consortium and the workflow's forms: wiring, refusals with their reason,
errors next to their field, and lists in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grappe.members.models import Competence
from grappe.projects.models import (
    CommitteeMember,
    CommitteeRole,
    Decision,
    LabellingRequest,
    PartnerRole,
    ProjectDocument,
    RequestStatus,
)
from grappe.projects.tests.factories import (
    PartnerFactory,
    RequestFactory,
    SessionFactory,
    contact_add,
    pdf_bytes,
)

S = RequestStatus
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def contact(client, lworld):
    client.force_login(lworld.users["consortium_contact"])
    return client


def url(name, file, **extra):
    return reverse(f"projects:{name}", kwargs={"pk": file.pk, **extra})


def test_a_member_starts_a_file_and_lands_on_its_form(client, member, member_org):
    session = SessionFactory()
    client.force_login(member)
    response = client.post(
        reverse("projects:request_create"),
        {"session": session.pk, "lead": member_org.pk, "acronym": "LIDAR", "title": "Lidar compact",
         "scheme": "pspc", "stage": "full", "summary_public": "Un lidar."},
    )  # fmt: skip
    request = LabellingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("request_edit", request)
    assert request.project.acronym == "LIDAR"


def test_a_bad_new_file_shows_the_errors_next_to_their_field(client, member, member_org):
    session = SessionFactory(schemes=["anr"])
    client.force_login(member)
    response = client.post(
        reverse("projects:request_create"),
        {"session": session.pk, "lead": member_org.pk, "acronym": "X", "title": "T",
         "scheme": "pspc", "stage": "full"},
        **EN,
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "scheme": ["This session does not target this scheme."]
    }
    assert not LabellingRequest.objects.exists()


def test_someone_who_is_not_a_member_is_told_why(client, registered):
    client.force_login(registered)
    response = client.get(reverse("projects:request_create"), **EN)
    assert response.status_code == 403
    assert "Only contacts of a member organisation may submit a project file" in (
        response.content.decode()
    )


def test_the_draft_is_edited_from_its_form(contact, lworld):
    competence = Competence.objects.filter(version__is_current=True, facet="market").first()
    draft = lworld.draft
    data = {
        "acronym": "NOUVEAU", "title": "Titre", "summary_public": "Résumé", "description": "D",
        "scheme": "pspc", "funding_call": "AAP 2026", "stage": "full", "total_budget": "500000",
        "duration_months": "24", "trl_start": "4", "trl_target": "7", "impact_jobs": "3",
        "impact_turnover": "0", "impact_export_share": "40", "impact_environment": "",
        "publish_consent": "on", "competences": [competence.pk],
    }  # fmt: skip
    response = contact.post(url("request_edit", draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.project.acronym, draft.trl_target, draft.publish_consent) == ("NOUVEAU", 7, True)
    data["trl_target"] = "2"
    response = contact.post(url("request_edit", draft), data, **EN)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "trl_target": ["The target TRL cannot be below the TRL at start."]
    }


def test_a_partner_with_a_bad_siret_is_refused_on_its_field(contact, lworld):
    response = contact.post(
        url("partner_add", lworld.draft),
        {"name": "Externe", "siret": "11111111111111", "country": "FR", "kind": "sme",
         "role": "partner", "budget": "1000", "requested_aid": "0"},
        **EN,
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "siret": ["“11111111111111” is not a valid SIRET: 14 digits with a valid check digit."]
    }


def test_a_document_that_is_not_a_pdf_is_refused_on_its_field(contact, lworld):
    fake = SimpleUploadedFile("annexe.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    response = contact.post(
        url("document_add", lworld.draft),
        {"kind": "description", "title": "Annexe", "file": fake},
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": ["The file is not a PDF (it does not start with %PDF-)."]
    }
    good = SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")
    response = contact.post(
        url("document_add", lworld.draft), {"kind": "budget", "title": "Budget", "file": good}
    )
    assert response.status_code == 302
    assert ProjectDocument.objects.get().title == "Budget"


def test_the_submit_page_lists_every_problem_then_submits(contact, lworld):
    draft = lworld.draft
    response = contact.get(url("request_submit", draft), **EN)
    problems = response.context["problems"]
    assert response.status_code == 200
    assert (
        "The total budget (1500000.00 €) must equal the sum of the partners' budgets (500000.00 €)."
        in problems
    )
    # the consortium is completed and the budget adds up
    PartnerFactory(request=draft)
    PartnerFactory(request=draft, organisation=lworld.lab)
    response = contact.get(url("request_submit", draft), **EN)
    assert response.context["problems"] == []
    response = contact.post(url("request_submit", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_a_refused_submission_changes_nothing(contact, lworld):
    response = contact.post(url("request_submit", lworld.draft), **EN)
    assert response.status_code == 400
    assert response.context["problems"]
    lworld.draft.refresh_from_db()
    assert lworld.draft.status == S.DRAFT


def test_a_contact_adds_a_colleague_from_the_page(
    contact, lworld, django_capture_on_commit_callbacks
):
    from grappe.members.tests.factories import AffiliationFactory, PersonFactory, UserFactory

    colleague = PersonFactory(user=UserFactory()).user
    AffiliationFactory(person=colleague.person, organisation=lworld.lab)
    with django_capture_on_commit_callbacks(execute=True):
        response = contact.post(url("contact_add", lworld.request), {"email": colleague.email})
    assert response.status_code == 302
    assert lworld.request.contacts.filter(user=colleague).exists()
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_withdrawing_asks_for_a_reason(contact, lworld):
    response = contact.post(url("request_withdraw", lworld.request), {"reason": ""}, **EN)
    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    response = contact.post(url("request_withdraw", lworld.request), {"reason": "Partenaire parti"})
    assert response.status_code == 302
    lworld.request.refresh_from_db()
    assert (lworld.request.status, lworld.request.withdraw_reason) == (
        S.WITHDRAWN, "Partenaire parti",
    )  # fmt: skip


def test_the_funder_and_the_outcome_are_recorded_from_their_forms(contact, lworld):
    request = lworld.request
    LabellingRequest.objects.filter(pk=request.pk).update(
        status=S.CERTIFICATE_ISSUED, decision=Decision.LABELLED, decided_at=timezone.now()
    )
    today = timezone.localdate()
    response = contact.post(
        url("request_funder", request), {"reference": "BPI-77", "submitted_on": today.isoformat()}
    )
    assert response.status_code == 302
    partners = list(request.partners.order_by("position", "id"))
    data = {"outcome": "funded", "outcome_on": today.isoformat(), "note": ""}
    data |= {f"aid_{p.pk}": "1000" for p in partners}
    response = contact.post(url("request_outcome", request), data)
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.funder_reference, request.outcome) == (
        S.FUNDED, "BPI-77", "funded",
    )  # fmt: skip
    assert sorted(request.partners.values_list("obtained_aid", flat=True)) == [1000, 1000]


def test_the_chair_decides_from_the_committee_page_and_goes_back_there(client, lworld):
    from grappe.members.tests.factories import UserFactory

    chair = UserFactory()
    CommitteeMember.objects.create(session=lworld.session, user=chair, role=CommitteeRole.CHAIR)
    LabellingRequest.objects.filter(pk=lworld.request.pk).update(status=S.COMMITTEE)
    client.force_login(chair)
    back = "/projects/committee/somewhere/"
    response = client.post(
        url("request_decide", lworld.request),
        {"decision": "labelled_reservations", "reservations": "", "next": back},
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "reservations": ["State the reservations that go with the label."]
    }
    response = client.post(
        url("request_decide", lworld.request),
        {"decision": "labelled", "next": back},
    )
    assert (response.status_code, response["Location"]) == (302, back)
    lworld.request.refresh_from_db()
    assert lworld.request.decision == Decision.LABELLED


def test_a_refused_move_shows_its_reason(client, lworld):
    client.force_login(lworld.users["consortium_contact"])
    response = client.post(url("request_start_review", lworld.request), **EN)
    assert response.status_code == 403
    assert "A file cannot go from “Under review” to “Under review”." in response.content.decode()


def test_a_closed_file_is_resubmitted_from_its_page(contact, lworld):
    LabellingRequest.objects.filter(pk=lworld.request.pk).update(status=S.REJECTED)
    LabellingRequest.objects.filter(pk=lworld.draft.pk).update(status=S.WITHDRAWN)
    later = SessionFactory()
    response = contact.post(url("request_resubmit", lworld.request), {"session": later.pk})
    new = LabellingRequest.objects.get(previous=lworld.request)
    assert (response.status_code, response["Location"]) == (302, url("request", new))
    page = contact.get(url("request", new))
    assert [r.pk for r in page.context["page"].history] == [lworld.request.pk]


def test_my_files_and_my_space_list_my_files(contact, lworld, django_assert_max_num_queries):
    for _ in range(5):
        other = RequestFactory(session=lworld.session)
        PartnerFactory(request=other, role=PartnerRole.COORDINATOR)
        contact_add(other, lworld.users["consortium_contact"])
    with django_assert_max_num_queries(15):
        response = contact.get(reverse("projects:mine"))
    assert len(response.context["files"]) == 7
    dashboard = contact.get(reverse("core:dashboard")).content.decode()
    assert lworld.draft.project.acronym in dashboard


def test_the_public_list_is_searched_in_a_bounded_number_of_queries(
    client, db, django_assert_max_num_queries
):
    market = Competence.objects.filter(version__is_current=True, facet="market").first()
    for index in range(6):
        request = RequestFactory(
            decision=Decision.LABELLED, publish_consent=True, status=S.CLOSED,
            decided_at=timezone.now() - dt.timedelta(days=400 * (index % 2)),
        )  # fmt: skip
        PartnerFactory(request=request, role=PartnerRole.COORDINATOR)
        if index < 4:
            request.competences.add(market)
    with django_assert_max_num_queries(15):
        response = client.get(
            reverse("projects:public_list"), {"market": market.code, "year": timezone.now().year}
        )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2


def test_the_staff_session_page_leads_to_the_assignment_board_and_the_committee(client, lworld):
    # given staff and a session
    client.force_login(lworld.users["staff"])
    slug = lworld.session.slug
    # when they open the session's page
    response = client.get(reverse("projects:staff_session", kwargs={"slug": slug}))
    # then it links to the experts' assignment board, the committee meeting and the pool
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("projects:staff_assignments", kwargs={"slug": slug})}"' in page
    assert f'href="{reverse("projects:committee", kwargs={"slug": slug})}"' in page
    assert f'href="{reverse("projects:staff_experts")}"' in page
