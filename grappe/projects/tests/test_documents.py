"""Documents of a file: PDF only (checked by content), size-limited, stored outside the public
media folder and downloaded through a permission-checked view; and the experts the applicant
asks to exclude."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from grappe.core.audit import audit_for
from grappe.projects.models import ExpertExclusion, ProjectDocument
from grappe.projects.services import documents as services
from grappe.projects.storage import pdf_problem, private_root
from grappe.projects.tests.factories import ExpertFactory, pdf_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def upload(data: bytes, name: str = "annexe.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def add(actor, request, data: bytes, name: str = "annexe.pdf") -> ProjectDocument:
    return services.document_add(
        actor=actor, request=request, kind="description", title="Annexe technique",
        upload=upload(data, name),
    )  # fmt: skip


def test_a_pdf_is_stored_privately_with_its_fingerprint(lworld, member):
    # given a well-formed PDF
    data = pdf_bytes("Annexe")
    # when a contact attaches it to the draft
    document = add(member, lworld.draft, data)
    # then it is kept outside the public media folder, under a random name
    path = Path(document.file.path)
    assert path.read_bytes() == data
    assert path.is_relative_to(private_root())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert document.file.name.startswith(f"requests/{lworld.draft.pk}/")
    assert "annexe" not in document.file.name
    assert (document.size, document.sha256, document.content_type) == (
        len(data), hashlib.sha256(data).hexdigest(), "application/pdf",
    )  # fmt: skip
    assert audit_for(document).first().action == "document.add"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PNG, "The file is not a PDF (it does not start with %PDF-)."),
        (b"%PDF-1.7\nnot really a pdf at all", "The PDF is damaged or truncated: its end of file marker is missing."),
        (b"%PDF-1.4\n" + b"x" * 50 + b"\nstartxref\n9999\n%%EOF", "The PDF is damaged: its cross-reference offset points outside the file."),
        (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\nstartxref\n12\n%%EOF", "The PDF is damaged: no cross-reference table where the file says it is."),
        (b"", "The file is empty."),
    ],
)  # fmt: skip
def test_only_a_real_pdf_is_kept_whatever_its_name(lworld, member, data, message):
    # when something that is not a PDF is sent with a .pdf name
    with pytest.raises(ValidationError) as refusal:
        add(member, lworld.draft, data)
    # then the file field says why, and nothing is kept
    assert refusal.value.message_dict == {"file": [message]}
    assert not ProjectDocument.objects.exists()
    assert not private_root().exists() or not any(private_root().rglob("*.pdf"))


def test_a_pdf_with_a_broken_table_is_refused():
    data = bytearray(pdf_bytes())
    table = data.index(b"0000000009 00000 n")
    data[table : table + 10] = b"0000000100"
    assert (
        pdf_problem(bytes(data)) == "The PDF is damaged: its objects are not where its table says."
    )


def test_a_pdf_above_the_size_limit_is_refused(lworld, member, settings):
    settings.GRAPPE_PROJECT_DOCUMENT_MAX_MB = 0.0001  # about 100 bytes
    with pytest.raises(ValidationError) as refusal:
        add(member, lworld.draft, pdf_bytes())
    assert refusal.value.message_dict == {"file": ["The file is too large: 0.0 MB at most."]}
    assert not ProjectDocument.objects.exists()


def test_the_kind_and_title_are_named_when_missing(lworld, member):
    with pytest.raises(ValidationError) as refusal:
        services.document_add(
            actor=member, request=lworld.draft, kind="secret", title=" ", upload=upload(pdf_bytes())
        )
    assert refusal.value.message_dict == {
        "kind": ["Choose the kind of document."],
        "title": ["Give the document a title."],
    }


def test_documents_are_attached_only_to_a_draft_by_its_contacts(lworld, member, other_member):
    with pytest.raises(PermissionDenied):
        add(other_member, lworld.draft, pdf_bytes())
    with pytest.raises(PermissionDenied) as refusal:
        add(member, lworld.request, pdf_bytes())  # submitted
    assert str(refusal.value) == "The file was submitted: it can no longer be changed."
    assert not ProjectDocument.objects.exists()


def test_removing_a_document_deletes_its_file_after_commit(
    lworld, member, django_capture_on_commit_callbacks
):
    document = add(member, lworld.draft, pdf_bytes())
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_remove(actor=member, request=lworld.draft, document=document)
    assert not ProjectDocument.objects.exists()
    assert not path.exists()


# --- download ----------------------------------------------------------------------------------


@pytest.fixture
def document(lworld, member):
    """A document of the file under review, attached while it was a draft."""
    from grappe.projects.models import LabellingRequest, RequestStatus

    LabellingRequest.objects.filter(pk=lworld.request.pk).update(status=RequestStatus.DRAFT)
    lworld.request.refresh_from_db()
    created = add(member, lworld.request, pdf_bytes("Secret"))
    LabellingRequest.objects.filter(pk=lworld.request.pk).update(status=RequestStatus.UNDER_REVIEW)
    return created


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", 302),
        ("unrelated_member", 404),
        ("consortium_contact", 200),
        ("assigned_expert", 200),
        ("conflicted_expert", 404),
        ("unassigned_expert", 404),
        ("staff", 200),
    ],
)
def test_a_document_is_downloaded_only_by_those_allowed(as_project_role, document, role, expected):
    url = reverse(
        "projects:document_download", kwargs={"pk": document.request_id, "document_pk": document.pk}
    )
    response = as_project_role(role).get(url)
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == document.file.open("rb").read()
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"


def test_a_document_is_not_reachable_under_media(client, document):
    # /media/ is served to anyone: the document is not there, under any name
    response = client.get(f"/media/{document.file.name}")
    assert response.status_code == 404


def test_an_expert_who_has_not_signed_the_agreement_in_force_gets_nothing(
    as_project_role, document, lworld
):
    from grappe.projects.models import ExpertProfile

    ExpertProfile.objects.filter(user=lworld.users["assigned_expert"]).update(nda_version="2020-1")
    url = reverse(
        "projects:document_download", kwargs={"pk": document.request_id, "document_pk": document.pk}
    )
    assert as_project_role("assigned_expert").get(url).status_code == 404


# --- exclusions --------------------------------------------------------------------------------


def test_the_applicant_excludes_an_expert_with_a_reason(lworld, member):
    expert = ExpertFactory()
    exclusion = services.exclusion_add(
        actor=member, request=lworld.draft, expert=expert, reason="Concurrent direct"
    )
    assert (exclusion.expert, exclusion.reason, exclusion.asked_by) == (
        expert, "Concurrent direct", member,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refusal:
        services.exclusion_add(actor=member, request=lworld.draft, expert=expert, reason="")
    assert refusal.value.message_dict == {
        "expert": ["This expert is already excluded."],
        "reason": ["Say why this expert should not review the file."],
    }
    services.exclusion_remove(actor=member, request=lworld.draft, exclusion=exclusion)
    assert not ExpertExclusion.objects.exists()


def test_the_pool_shows_names_and_employers_only(as_project_role, lworld):
    # given an expert of the pool with an employer and a biography
    from grappe.members.tests.factories import OrganisationFactory, UserFactory

    expert = ExpertFactory(
        user=UserFactory(first_name="Alice", last_name="Martin", email="alice.m@example.org",
                         is_expert=True),
        employer=OrganisationFactory(name="Optique Conseil"),
        bio="Spécialiste confidentiel des lasers femtoseconde",
    )  # fmt: skip
    # when the applicant opens the exclusion form
    client = as_project_role("consortium_contact")
    response = client.get(
        reverse("projects:exclusion_add", kwargs={"pk": lworld.draft.pk}), {"q": "optique"}
    )
    # then the expert is offered by name and employer, and nothing else of them shows
    content = response.content.decode()
    assert response.status_code == 200
    assert "Alice Martin — Optique Conseil" in content
    assert "alice.m@example.org" not in content
    assert "femtoseconde" not in content
    assert f'value="{expert.pk}"' in content
