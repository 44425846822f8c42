import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grappe.core.models import AuditEntry
from grappe.members.models import Competence, Facet, TaxonomyVersion
from grappe.members.permissions import can_edit_taxonomy
from grappe.members.selectors import competences_current
from grappe.members.services import (
    TaxonomyPublishResult,
    competence_create,
    competence_update,
    taxonomy_publish_preview,
    taxonomy_version_copy,
    taxonomy_version_publish,
)
from grappe.members.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

NEW = {
    "code": "tech.lasers.quantum",
    "facet": Facet.TECHNOLOGY,
    "name_fr": "Sources quantiques",
    "name_en": "Quantum sources",
}


def _current() -> TaxonomyVersion:
    return TaxonomyVersion.objects.get(is_current=True)


def _competence(code: str, version: TaxonomyVersion | None = None) -> Competence:
    return Competence.objects.get(version=version or _current(), code=code)


# permissions


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("registered", False), ("member", False), ("org_admin", False), ("expert", False),
     ("staff", True)],
)  # fmt: skip
def test_only_staff_edit_the_taxonomy(request, role, allowed):
    assert can_edit_taxonomy(request.getfixturevalue(role)) is allowed


# competence_create


def test_competence_create_adds_a_child_and_audits_it(staff):
    # given the current version and its lasers branch
    version = _current()
    lasers = _competence("tech.lasers")
    # when staff add a competence under it
    created = competence_create(
        actor=staff,
        version=version,
        data={**NEW, "code": " Tech.Lasers.Quantum ", "parent": lasers, "keywords": "qubit"},
    )
    # then it is stored, lowercased, active, in the version, and audited
    created.refresh_from_db()
    assert (created.version_id, created.code, created.parent_id) == (
        version.pk,
        "tech.lasers.quantum",
        lasers.pk,
    )
    assert (created.name_fr, created.name_en, created.keywords, created.is_active) == (
        "Sources quantiques",
        "Quantum sources",
        "qubit",
        True,
    )
    entry = AuditEntry.objects.get(action="competence.create")
    assert entry.object_id == str(created.pk)
    assert entry.changes["code"] == [None, "tech.lasers.quantum"]
    assert created in competences_current(Facet.TECHNOLOGY)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**NEW, "code": "Tech Lasers!"}, "code"),
        ({**NEW, "code": "tech.lasers"}, "code"),  # already used in this version
        ({**NEW, "code": "quantum", "parent": "tech.lasers"}, "code"),  # not under the parent
        ({**NEW, "parent": "market.health"}, "parent"),  # another facet
        ({**NEW, "name_en": "  "}, "name_en"),
        ({**NEW, "name_fr": ""}, "name_fr"),
        ({**NEW, "facet": "colour"}, "facet"),
        ({**NEW, "colour": "blue"}, "colour"),
    ],
)
def test_competence_create_refuses_bad_input_and_writes_nothing(staff, data, field):
    # given the current version
    version = _current()
    count = Competence.objects.count()
    if isinstance(data.get("parent"), str):
        data = {**data, "parent": _competence(data["parent"])}
    # when staff add a competence with one wrong field
    with pytest.raises(ValidationError) as raised:
        competence_create(actor=staff, version=version, data=data)
    # then the field is named and nothing is written
    assert field in raised.value.message_dict
    assert Competence.objects.count() == count
    assert not AuditEntry.objects.exists()


def test_competence_create_refuses_a_parent_of_another_version(staff):
    # given a draft copied from the current version
    draft = taxonomy_version_copy(actor=staff, source=_current(), code="2027.1")
    count = Competence.objects.count()
    # when staff add to the draft a competence under the current version's branch
    with pytest.raises(ValidationError) as raised:
        competence_create(
            actor=staff, version=draft, data={**NEW, "parent": _competence("tech.lasers")}
        )
    # then it is refused
    assert raised.value.message_dict == {"parent": ["Le parent doit appartenir à la même version."]}
    assert Competence.objects.count() == count


def test_competence_create_is_refused_to_a_member(member):
    count = Competence.objects.count()
    with pytest.raises(PermissionDenied):
        competence_create(actor=member, version=_current(), data=NEW)
    assert Competence.objects.count() == count
    assert not AuditEntry.objects.exists()


# competence_update


def test_competence_update_renames_and_audits_before_and_after(staff):
    # given a competence of the current version
    fibre = _competence("tech.lasers.fibre")
    old_name = fibre.name_en
    # when staff rename it in English
    competence_update(actor=staff, competence=fibre, data={"name_en": "Fiber lasers"})
    # then the name changes and the audit row holds both values, nothing else
    fibre.refresh_from_db()
    assert fibre.name_en == "Fiber lasers"
    entry = AuditEntry.objects.get(action="competence.update")
    assert entry.changes == {"name_en": [old_name, "Fiber lasers"]}


def test_deactivating_hides_from_choices_but_keeps_tags(staff):
    # given an organisation and a person tagged with a leaf competence
    fibre = _competence("tech.lasers.fibre")
    organisation = OrganisationFactory()
    organisation.competences.add(fibre)
    person = PersonFactory()
    person.competences.add(fibre)
    # when staff deactivate it
    competence_update(actor=staff, competence=fibre, data={"is_active": False})
    # then it is no longer offered, but the tags stay
    assert fibre not in competences_current()
    assert list(organisation.competences.all()) == [fibre]
    assert list(person.competences.all()) == [fibre]


def test_a_parent_with_an_active_child_cannot_be_deactivated(staff):
    # given the lasers branch with active children
    lasers = _competence("tech.lasers")
    # when staff deactivate the branch
    with pytest.raises(ValidationError) as raised:
        competence_update(actor=staff, competence=lasers, data={"is_active": False})
    # then the message names the field and the children; nothing changed
    assert raised.value.message_dict == {
        "is_active": [
            "Désactivez d’abord ses sous-compétences : tech.lasers.diodes, tech.lasers.fibre, "
            "tech.lasers.nonlinear, tech.lasers.qcl, tech.lasers.solid_state, … sont encore actives."
        ]
    }
    lasers.refresh_from_db()
    assert lasers.is_active is True
    assert not AuditEntry.objects.exists()


def test_a_competence_cannot_move_under_its_own_child(staff):
    # given a branch and one of its children
    lasers = _competence("tech.lasers")
    fibre = _competence("tech.lasers.fibre")
    # when staff put the branch under its child
    with pytest.raises(ValidationError) as raised:
        competence_update(actor=staff, competence=lasers, data={"parent": fibre})
    # then it is refused as a cycle
    assert raised.value.message_dict == {
        "parent": [
            "Une compétence ne peut pas être placée sous elle-même ni sous ses sous-compétences."
        ]
    }
    lasers.refresh_from_db()
    assert lasers.parent_id is None


def test_a_code_change_must_keep_the_children_under_it(staff):
    lasers = _competence("tech.lasers")
    with pytest.raises(ValidationError) as raised:
        competence_update(actor=staff, competence=lasers, data={"code": "tech.sources"})
    assert list(raised.value.message_dict) == ["code"]
    lasers.refresh_from_db()
    assert lasers.code == "tech.lasers"


# taxonomy_version_copy


def test_copy_makes_a_draft_with_every_competence_and_remapped_parents(staff):
    # given the current version
    source = _current()
    count = source.competences.count()
    # when staff copy it
    draft = taxonomy_version_copy(actor=staff, source=source, code="2027.1", notes="Quantum")
    # then the draft is not current, holds the same codes, and parents point inside it
    assert (draft.is_current, draft.notes) == (False, "Quantum")
    assert _current() == source
    copies = {c.code: c for c in draft.competences.select_related("parent")}
    assert len(copies) == count
    assert set(copies) == set(source.competences.values_list("code", flat=True))
    fibre = copies["tech.lasers.fibre"]
    assert fibre.parent == copies["tech.lasers"]
    assert not draft.competences.exclude(parent=None).exclude(parent__version=draft).exists()
    entry = AuditEntry.objects.get(action="taxonomy_version.copy")
    assert entry.changes["source"] == [None, source.code]
    assert entry.changes["competences"] == [None, count]


def test_copy_refuses_a_version_name_in_use(staff):
    count = TaxonomyVersion.objects.count()
    with pytest.raises(ValidationError) as raised:
        taxonomy_version_copy(actor=staff, source=_current(), code=_current().code)
    assert list(raised.value.message_dict) == ["code"]
    assert TaxonomyVersion.objects.count() == count
    assert not AuditEntry.objects.exists()


def test_copy_is_refused_to_an_organisation_admin(org_admin):
    count = TaxonomyVersion.objects.count()
    with pytest.raises(PermissionDenied):
        taxonomy_version_copy(actor=org_admin, source=_current(), code="2027.1")
    assert TaxonomyVersion.objects.count() == count


# taxonomy_version_publish


def test_publish_moves_tags_by_code_and_reports_the_dropped_ones(
    staff, django_capture_on_commit_callbacks, monkeypatch
):
    # given a draft where one code was removed, an organisation and a person tagged
    old = _current()
    draft = taxonomy_version_copy(actor=staff, source=old, code="2027.1")
    _competence("tech.lasers.ultrafast", draft).delete()
    organisation = OrganisationFactory()
    organisation.competences.add(
        _competence("tech.lasers.fibre"), _competence("tech.lasers.ultrafast")
    )
    person = PersonFactory()
    person.competences.add(_competence("tech.lasers.fibre"))
    reindexed: list[list[int]] = []
    monkeypatch.setattr(
        "grappe.directory.indexing.organisation_reindex", lambda ids: reindexed.append(list(ids))
    )
    # when staff look at the preview, then publish the draft
    preview = taxonomy_publish_preview(draft)
    with django_capture_on_commit_callbacks(execute=True):
        result = taxonomy_version_publish(actor=staff, version=draft)
    # then the draft is the only current version; two tags moved, one dropped
    expected = TaxonomyPublishResult(moved=2, dropped=1, dropped_codes={"tech.lasers.ultrafast": 1})
    assert preview == expected
    assert result == expected
    assert list(TaxonomyVersion.objects.filter(is_current=True)) == [draft]
    assert list(organisation.competences.all()) == [_competence("tech.lasers.fibre", draft)]
    assert list(person.competences.all()) == [_competence("tech.lasers.fibre", draft)]
    assert reindexed == [[organisation.pk]]
    entry = AuditEntry.objects.get(action="taxonomy_version.publish")
    assert entry.object_id == str(draft.pk)
    assert entry.changes["is_current"] == [False, True]
    assert entry.changes["tags_dropped"] == [None, 1]
    assert entry.changes["dropped_codes"] == [None, {"tech.lasers.ultrafast": 1}]
    retired = AuditEntry.objects.get(action="taxonomy_version.retire")
    assert retired.object_id == str(old.pk)


def test_publishing_the_version_in_force_is_refused(staff):
    version = _current()
    with pytest.raises(ValidationError) as raised:
        taxonomy_version_publish(actor=staff, version=version)
    assert raised.value.message_dict == {"version": ["Cette version est déjà en vigueur."]}
    assert not AuditEntry.objects.exists()


def test_publish_is_refused_to_a_member_and_moves_nothing(staff, member):
    # given a draft and a tagged organisation
    draft = taxonomy_version_copy(actor=staff, source=_current(), code="2027.1")
    organisation = OrganisationFactory()
    fibre = _competence("tech.lasers.fibre")
    organisation.competences.add(fibre)
    audits = AuditEntry.objects.count()
    # when a member tries to publish it
    with pytest.raises(PermissionDenied):
        taxonomy_version_publish(actor=member, version=draft)
    # then nothing moved
    draft.refresh_from_db()
    assert draft.is_current is False
    assert list(organisation.competences.all()) == [fibre]
    assert AuditEntry.objects.count() == audits
