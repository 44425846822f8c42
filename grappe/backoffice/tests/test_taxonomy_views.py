"""Wiring of the taxonomy pages of the back office: who gets in, what each form writes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from grappe.core.models import AuditEntry
from grappe.members.models import Competence, TaxonomyVersion
from grappe.members.services import taxonomy_version_copy
from grappe.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _current() -> TaxonomyVersion:
    return TaxonomyVersion.objects.get(is_current=True)


def _competence(code: str, version: TaxonomyVersion | None = None) -> Competence:
    return Competence.objects.get(version=version or _current(), code=code)


@pytest.mark.parametrize("role", ["registered", "member", "org_admin", "expert"])
def test_taxonomy_pages_are_refused_to_other_roles(request, login, role):
    # given someone who is not staff
    client = login(request.getfixturevalue(role))
    version = _current()
    fibre = _competence("tech.lasers.fibre")
    # when they open the pages or post to them, then they get 403 and nothing is written
    urls = [
        reverse("backoffice:taxonomy"),
        reverse("backoffice:taxonomy_version", kwargs={"pk": version.pk}),
        reverse("backoffice:taxonomy_copy", kwargs={"pk": version.pk}),
        reverse("backoffice:taxonomy_publish", kwargs={"pk": version.pk}),
        reverse("backoffice:taxonomy_competence_create", kwargs={"pk": version.pk}),
        reverse("backoffice:taxonomy_competence_edit", kwargs={"pk": fibre.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"code": "2099.1", "name_en": "X"}).status_code == 403
    assert TaxonomyVersion.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_the_versions_list_and_the_version_tree(login, staff, django_assert_max_num_queries):
    # given the shipped version and a draft
    version = _current()
    draft = taxonomy_version_copy(actor=staff, source=version, code="2027.1")
    client = login(staff)
    # when staff open the list and the version's page
    listing = client.get(reverse("backoffice:taxonomy"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("backoffice:taxonomy_version", kwargs={"pk": version.pk}))
    # then both versions are listed, and the tree shows a branch before its child with links
    html = listing.content.decode()
    assert version.code in html and draft.code in html
    assert reverse("backoffice:taxonomy_publish", kwargs={"pk": draft.pk}) in html
    assert reverse("backoffice:taxonomy_publish", kwargs={"pk": version.pk}) not in html
    tree = page.content.decode()
    lasers, fibre = _competence("tech.lasers"), _competence("tech.lasers.fibre")
    edit_lasers = reverse("backoffice:taxonomy_competence_edit", kwargs={"pk": lasers.pk})
    edit_fibre = reverse("backoffice:taxonomy_competence_edit", kwargs={"pk": fibre.pk})
    assert page.status_code == 200
    assert tree.index(edit_lasers) < tree.index(edit_fibre)
    assert 'id="add-competence"' in tree


def test_staff_add_a_competence(login, staff):
    version = _current()
    lasers = _competence("tech.lasers")
    response = login(staff).post(
        reverse("backoffice:taxonomy_competence_create", kwargs={"pk": version.pk}),
        {
            "code": "tech.lasers.quantum",
            "facet": "technology",
            "parent": lasers.pk,
            "name_fr": "Sources quantiques",
            "name_en": "Quantum sources",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:taxonomy_version", kwargs={"pk": version.pk})
    created = _competence("tech.lasers.quantum")
    assert (created.parent, created.name_en, created.is_active, created.position) == (
        lasers,
        "Quantum sources",
        True,
        0,
    )
    assert AuditEntry.objects.filter(action="competence.create").count() == 1


def test_a_refused_competence_shows_the_service_message_on_its_field(login, staff):
    version = _current()
    count = Competence.objects.count()
    response = login(staff).post(
        reverse("backoffice:taxonomy_competence_create", kwargs={"pk": version.pk}),
        {
            "code": "quantum",
            "facet": "technology",
            "parent": _competence("tech.lasers").pk,
            "name_fr": "Sources quantiques",
            "name_en": "Quantum sources",
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["code"]
    assert Competence.objects.count() == count


def test_staff_deactivate_a_competence_from_its_edit_page(login, staff):
    fibre = _competence("tech.lasers.fibre")
    url = reverse("backoffice:taxonomy_competence_edit", kwargs={"pk": fibre.pk})
    client = login(staff)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": fibre.code,
            "facet": fibre.facet,
            "parent": fibre.parent_id,
            "name_fr": fibre.name_fr,
            "name_en": fibre.name_en,
            "keywords": fibre.keywords,
            "nace_code": fibre.nace_code,
            "photonics21": fibre.photonics21,
            "position": fibre.position,
        },
    )
    assert response.status_code == 302
    fibre.refresh_from_db()
    assert fibre.is_active is False
    entry = AuditEntry.objects.get(action="competence.update")
    assert entry.changes == {"is_active": [True, False]}


def test_staff_copy_then_publish_a_draft(login, staff):
    # given an organisation tagged with a code the draft will no longer have
    old = _current()
    organisation = OrganisationFactory()
    organisation.competences.add(_competence("tech.lasers.fibre"))
    organisation.competences.add(_competence("tech.lasers.ultrafast"))
    client = login(staff)
    # when staff copy the version into a draft
    response = client.post(
        reverse("backoffice:taxonomy_copy", kwargs={"pk": old.pk}),
        {"code": "2027.1", "notes": "Quantum branch"},
    )
    draft = TaxonomyVersion.objects.get(code="2027.1")
    assert response.status_code == 302
    assert (draft.is_current, draft.notes, draft.competences.count()) == (
        False,
        "Quantum branch",
        old.competences.count(),
    )
    _competence("tech.lasers.ultrafast", draft).delete()
    # and open the confirmation page, which tells what will happen
    publish_url = reverse("backoffice:taxonomy_publish", kwargs={"pk": draft.pk})
    confirm = client.get(publish_url)
    assert confirm.context["preview"].moved == 1
    assert confirm.context["preview"].dropped_codes == {"tech.lasers.ultrafast": 1}
    assert "tech.lasers.ultrafast" in confirm.content.decode()
    # then publish it
    response = client.post(publish_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:taxonomy")
    assert list(TaxonomyVersion.objects.filter(is_current=True)) == [draft]
    assert list(organisation.competences.values_list("version__code", "code")) == [
        ("2027.1", "tech.lasers.fibre")
    ]


def test_a_replaced_version_says_so_and_can_be_put_back_in_force(login, staff):
    # given the version in force and a draft copied from it
    old = _current()
    client = login(staff)
    client.post(reverse("backoffice:taxonomy_copy", kwargs={"pk": old.pk}), {"code": "2027.1"})
    draft = TaxonomyVersion.objects.get(code="2027.1")
    # when staff publish the draft
    client.post(reverse("backoffice:taxonomy_publish", kwargs={"pk": draft.pk}))
    # then the old version is marked replaced (not a draft) on the list, with the day
    old.refresh_from_db()
    assert old.is_retired and old.retired_at is not None
    page = client.get(reverse("backoffice:taxonomy"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    day = old.retired_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y")
    assert f'<span class="badge">Replaced</span> <span class="nowrap">on {day}</span>' in page
    assert page.count('<span class="badge warn">Draft</span>') == 0
    # and when they put the old version back in force, it is no longer marked replaced
    client.post(reverse("backoffice:taxonomy_publish", kwargs={"pk": old.pk}))
    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.is_current, old.retired_at, old.is_retired) == (True, None, False)
    assert draft.is_retired


def test_a_copy_under_a_name_in_use_is_refused_on_the_form(login, staff):
    version = _current()
    response = login(staff).post(
        reverse("backoffice:taxonomy_copy", kwargs={"pk": version.pk}), {"code": version.code}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["code"]
    assert TaxonomyVersion.objects.count() == 1
