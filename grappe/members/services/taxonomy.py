"""Loading the shipped competence taxonomy (also used by a data migration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

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
