"""The competence taxonomy: loading the shipped data (also from a data migration) and staff
editing: competences, draft versions copied from another, publication that moves the tags."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.members import permissions
from grappe.members.models import Competence, Facet, Organisation, Person, TaxonomyVersion
from grappe.members.selectors import (
    TaxonomyPublishResult,
    taxonomy_publish_preview,
    taxonomy_tag_moves,
)

TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"


def read_taxonomy(path: Path = TAXONOMY_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


def taxonomy_load(
    *, data: dict[str, Any] | None = None, apps: Any = None, make_current: bool = True
) -> tuple[int, int]:
    """Create or update one taxonomy version from data; returns (created, updated).

    Idempotent: a second load of the same data changes nothing. `apps` lets a migration pass
    its historical models."""
    data = data or read_taxonomy()
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    version_model = apps.get_model("members", "TaxonomyVersion")
    competence_model = apps.get_model("members", "Competence")
    created = updated = 0
    with transaction.atomic():
        version, _ = version_model.objects.get_or_create(code=data["version"])
        existing = {c.code: c for c in competence_model.objects.filter(version=version)}
        for position, entry in enumerate(data["competences"]):
            values = {
                "facet": entry["facet"],
                "parent": existing.get(entry["parent"]) if entry.get("parent") else None,
                "name_fr": entry["name_fr"],
                "name_en": entry["name_en"],
                "keywords": " ".join(entry.get("keywords_fr", []) + entry.get("keywords_en", [])),
                "nace_code": entry.get("nace", ""),
                "photonics21": entry.get("photonics21", ""),
                "position": position,
            }
            competence = existing.get(entry["code"])
            if competence is None:
                existing[entry["code"]] = competence_model.objects.create(
                    version=version, code=entry["code"], **values
                )
                created += 1
            elif any(getattr(competence, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(competence, key, value)
                competence.save()
                updated += 1
        if make_current and not version.is_current:
            version_model.objects.filter(is_current=True).update(is_current=False)
            version.is_current = True
            version.save(update_fields=["is_current"])
    return created, updated


# --- Staff editing: competences, draft versions, publication ---------------------------------

CODE_PATTERN = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*(?:\.[a-z0-9]+(?:[_-][a-z0-9]+)*)*")
COMPETENCE_FIELDS = [
    "code", "facet", "parent", "name_fr", "name_en", "keywords", "nace_code", "photonics21",
    "position", "is_active",
]  # fmt: skip


def _competence_errors(competence: Competence) -> dict[str, str]:
    """The rules a competence keeps within its version; empty when it is sound."""
    errors: dict[str, str] = {}
    code = competence.code
    if not CODE_PATTERN.fullmatch(code):
        errors["code"] = _(
            "Use lowercase letters, digits, hyphens or underscores, in parts joined by dots "
            "(for example tech.lasers.fibre)."
        )
    elif (
        Competence.objects.filter(version_id=competence.version_id, code=code)
        .exclude(pk=competence.pk)
        .exists()
    ):
        errors["code"] = _("The code %(code)s is already used in this version.") % {"code": code}
    if competence.facet not in Facet.values:
        errors["facet"] = _("Choose a facet from the list.")
    for name in ("name_fr", "name_en"):
        if not competence_value(competence, name):
            errors[name] = _("This name is required.")
    parent = competence.parent
    if parent is not None:
        if parent.version_id != competence.version_id:
            errors["parent"] = _("The parent must belong to the same version.")
        elif parent.facet != competence.facet:
            errors["parent"] = _("The parent must be in the same facet.")
        elif competence.pk is not None and _is_descendant(parent, competence):
            errors["parent"] = _("A competence cannot be placed under itself or its children.")
        elif "code" not in errors and not code.startswith(parent.code + "."):
            errors["code"] = _("The code must start with its parent's code: %(prefix)s") % {
                "prefix": parent.code + "."
            }
    if competence.pk is not None and "parent" not in errors and "code" not in errors:
        prefix_errors = _children_prefix_errors(competence)
        if prefix_errors:
            errors["code"] = prefix_errors
    if not competence.is_active and competence.pk is not None:
        active = competence.children.filter(is_active=True).order_by("code")
        codes = list(active.values_list("code", flat=True)[:6])
        if len(codes) == 6:
            codes[5:] = ["…"]
        if codes:
            errors["is_active"] = _(
                "Deactivate its sub-competences first: %(codes)s are still active."
            ) % {"codes": ", ".join(codes)}
    if competence.is_active and parent is not None and not parent.is_active:
        errors["is_active"] = _("Its parent %(code)s is inactive: activate the parent first.") % {
            "code": parent.code
        }
    return errors


def competence_value(competence: Competence, name: str) -> str:
    return str(getattr(competence, name) or "").strip()


def _is_descendant(candidate: Competence, ancestor: Competence) -> bool:
    """True when `candidate` is `ancestor` or sits somewhere below it (one query)."""
    parents = dict(
        Competence.objects.filter(version_id=ancestor.version_id).values_list("pk", "parent_id")
    )
    node: int | None = candidate.pk
    seen: set[int] = set()
    while node is not None and node not in seen:
        if node == ancestor.pk:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def _children_prefix_errors(competence: Competence) -> str:
    """A code change must keep the children's codes under it (they are not renamed)."""
    bad = [
        code
        for code in competence.children.values_list("code", flat=True)
        if not code.startswith(competence.code + ".")
    ]
    if not bad:
        return ""
    return _("Its sub-competences must keep codes starting with it: %(codes)s.") % {
        "codes": ", ".join(sorted(bad)[:5])
    }


def _competence_apply(competence: Competence, data: dict[str, Any]) -> None:
    unknown = set(data) - set(COMPETENCE_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    for name, value in data.items():
        if name in {"code", "name_fr", "name_en", "keywords", "nace_code", "photonics21"}:
            value = str(value or "").strip()
        if name == "code":
            value = value.lower()
        if name == "position" and value is None:
            value = 0
        setattr(competence, name, value)
    errors = _competence_errors(competence)
    if errors:
        raise ValidationError(errors)
    try:
        competence.full_clean(exclude=["version", "parent"], validate_unique=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def _reindex_tagged_after_commit(competence_ids: list[int]) -> None:
    """The directory indexes competence names and codes: refresh the organisations tagged."""
    through = Organisation.competences.through
    ids = sorted(
        set(
            through.objects.filter(competence_id__in=competence_ids).values_list(
                "organisation_id", flat=True
            )
        )
    )
    if ids:
        from grappe.directory.indexing import organisation_reindex

        transaction.on_commit(lambda: organisation_reindex(ids))


def competence_create(*, actor: Any, version: TaxonomyVersion, data: dict[str, Any]) -> Competence:
    """Add a competence to a version (the current one or a draft)."""
    require(permissions.can_edit_taxonomy(actor))
    with transaction.atomic():
        competence = Competence(version=version)
        _competence_apply(competence, {"position": 0, **data})
        competence.save()
        audit_record(actor=actor, obj=competence, action="competence.create")
    return competence


def competence_update(*, actor: Any, competence: Competence, data: dict[str, Any]) -> Competence:
    """Change a competence; deactivating hides it from tagging but keeps existing tags."""
    require(permissions.can_edit_taxonomy(actor))
    with transaction.atomic():
        competence = Competence.objects.select_for_update().get(pk=competence.pk)
        before = snapshot(competence)
        _competence_apply(competence, data)
        competence.save()
        after = snapshot(competence)
        audit_record(
            actor=actor, obj=competence, action="competence.update", before=before, after=after
        )
        indexed = {"code", "parent", "name_fr", "name_en", "keywords"}
        if any(before.get(name) != after.get(name) for name in indexed):
            _reindex_tagged_after_commit([competence.pk])
    return competence


def taxonomy_version_copy(
    *, actor: Any, source: TaxonomyVersion, code: str, notes: str = ""
) -> TaxonomyVersion:
    """A new draft version (not in force) holding a copy of every competence of `source`."""
    require(permissions.can_edit_taxonomy(actor))
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the new version a name, for example 2027.1.")})
    if len(code) > TaxonomyVersion._meta.get_field("code").max_length:  # type: ignore[operator]
        raise ValidationError({"code": _("A version name has at most 20 characters.")})
    if TaxonomyVersion.objects.filter(code=code).exists():
        raise ValidationError({"code": _("The version %(code)s already exists.") % {"code": code}})
    with transaction.atomic():
        version = TaxonomyVersion.objects.create(code=code, is_current=False, notes=notes.strip())
        originals = list(Competence.objects.filter(version=source).order_by("pk"))
        copies = Competence.objects.bulk_create(
            [
                Competence(
                    version=version,
                    **{name: getattr(c, name) for name in COMPETENCE_FIELDS if name != "parent"},
                )
                for c in originals
            ]
        )
        by_code = {c.code: c for c in copies}
        code_of = {c.pk: c.code for c in originals}
        with_parent = []
        for original, copy in zip(originals, copies, strict=True):
            if original.parent_id is not None:
                copy.parent = by_code[code_of[original.parent_id]]
                with_parent.append(copy)
        Competence.objects.bulk_update(with_parent, ["parent"])
        audit_record(
            actor=actor,
            obj=version,
            action="taxonomy_version.copy",
            after={**snapshot(version), "source": source.code, "competences": len(copies)},
        )
    return version


def taxonomy_version_publish(*, actor: Any, version: TaxonomyVersion) -> TaxonomyPublishResult:
    """Put `version` in force: tags move to the competence of the same code in it; tags whose
    code is gone are dropped and counted. The directory is reindexed after commit."""
    require(permissions.can_edit_taxonomy(actor))
    with transaction.atomic():
        version = TaxonomyVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_current:
            raise ValidationError({"version": _("This version is already in force.")})
        if not Competence.objects.filter(version=version, is_active=True).exists():
            raise ValidationError(
                {"version": _("This version has no active competence: it cannot be published.")}
            )
        previous = TaxonomyVersion.objects.select_for_update().filter(is_current=True).first()
        result = taxonomy_publish_preview(version)
        moves, lost = taxonomy_tag_moves(previous, version)
        organisation_ids = _move_tags(moves, lost)
        before = {"is_current": False, "published_at": _plain_date(version.published_at)}
        now = timezone.now()
        if previous is not None:
            previous.is_current = False
            previous.retired_at = now
            previous.save(update_fields=["is_current", "retired_at"])
            audit_record(
                actor=actor,
                obj=previous,
                action="taxonomy_version.retire",
                before={"is_current": True},
                after={"is_current": False, "replaced_by": version.code},
            )
        version.is_current = True
        version.published_at = now
        version.retired_at = None  # a retired version put back in force (a rollback)
        version.save(update_fields=["is_current", "published_at", "retired_at"])
        audit_record(
            actor=actor,
            obj=version,
            action="taxonomy_version.publish",
            before=before,
            after={
                "is_current": True,
                "published_at": _plain_date(version.published_at),
                "replaces": previous.code if previous else None,
                "tags_moved": result.moved,
                "tags_dropped": result.dropped,
                "dropped_codes": result.dropped_codes,
            },
        )
        if organisation_ids:
            from grappe.directory.indexing import organisation_reindex

            transaction.on_commit(lambda: organisation_reindex(organisation_ids))
    return result


def _plain_date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _move_tags(moves: dict[int, int], lost: dict[int, str]) -> list[int]:
    """Re-point the tags of organisations and people; returns the organisations touched."""
    touched: list[int] = []
    old_ids = [*moves, *lost]
    tables: list[tuple[Any, str]] = [
        (Organisation.competences.through, "organisation_id"),
        (Person.competences.through, "person_id"),
    ]
    for through, owner in tables:
        rows = list(
            through.objects.filter(competence_id__in=old_ids).values_list(owner, "competence_id")
        )
        if not rows:
            continue
        through.objects.filter(competence_id__in=old_ids).delete()
        through.objects.bulk_create(
            [
                through(**{owner: owner_id, "competence_id": moves[competence_id]})
                for owner_id, competence_id in rows
                if competence_id in moves
            ],
            ignore_conflicts=True,
        )
        if owner == "organisation_id":
            touched = sorted({owner_id for owner_id, _competence in rows})
    return touched
