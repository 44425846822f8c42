"""Keeping the directory's index in step with the organisations.

`organisation_reindex(ids)` rewrites the entries of some organisations (the members services
call it after commit when a profile, its competences, its figures or a membership change);
`directory_rebuild()` rewrites everything (`manage.py directory_reindex`). Each write appends
to the change log that search processes read to patch their in-memory facets.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from grappe.directory import text
from grappe.directory.cache import persist_frequent_words
from grappe.directory.engines import PostgresEngine, engine_for
from grappe.directory.models import (
    DirectoryChange,
    DirectoryEntry,
    DirectoryTerm,
    DirectoryWordSet,
)
from grappe.members.models import Competence, Membership, MembershipStatus, Organisation

CHUNK = 2000


def member_interval(
    periods: Iterable[tuple[dt.date, dt.date]], today: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """The run of back-to-back active memberships that covers today, else the next one."""
    merged: list[list[dt.date]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        if end >= today:
            return start, end
    return None, None


def _ancestry() -> dict[int, tuple[str, list[str]]]:
    """Each competence's code and the codes of its ancestors (tech.lasers for tech.lasers.fibre)."""
    rows = {
        pk: (code, parent)
        for pk, code, parent in Competence.objects.values_list("pk", "code", "parent_id")
    }
    result = {}
    for pk, (code, parent) in rows.items():
        ancestors, seen = [], {pk}
        while parent is not None and parent not in seen:
            seen.add(parent)
            ancestors.append(rows[parent][0])
            parent = rows[parent][1]
        result[pk] = (code, ancestors)
    return result


def _competence_text(competence: Competence) -> str:
    return " ".join([competence.name_fr, competence.name_en, competence.keywords])


def _prior(organisation: Organisation, competences: int) -> int:
    """A static quality prior, 0–3: a complete profile comes first among equals."""
    return (
        int(bool(organisation.description_fr and organisation.description_en))
        + int(bool(organisation.logo or organisation.website))
        + int(competences >= 3)
    )


def _entries(ids: list[int], today: dt.date) -> Iterator[DirectoryEntry]:
    ancestry = _ancestry()
    periods: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for org_id, start, end in Membership.objects.filter(
        organisation_id__in=ids, status=MembershipStatus.ACTIVE
    ).values_list("organisation_id", "start", "end"):
        periods.setdefault(org_id, []).append((start, end))
    organisations = Organisation.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("competences", queryset=Competence.objects.order_by("pk"))
    )
    for organisation in organisations:
        competences = list(organisation.competences.all())
        codes: dict[str, None] = {}
        for competence in competences:
            code, ancestors = ancestry.get(competence.pk, (competence.code, []))
            codes[code] = None
            codes.update(dict.fromkeys(ancestors))
        member_from, member_until = member_interval(periods.get(organisation.pk, []), today)
        names = {organisation.name, organisation.legal_name}
        yield DirectoryEntry(
            organisation_id=organisation.pk,
            kind=organisation.kind,
            college=organisation.effective_college,
            region=organisation.region,
            size_class=organisation.size_class,
            member_from=member_from,
            member_until=member_until,
            competence_codes=" ".join(codes),
            prior=_prior(organisation, len(competences)),
            sort_name=text.normalise(organisation.name)[:200],
            text_name=" ".join(sorted(names)),
            text_competences=" ".join(_competence_text(c) for c in competences),
            text_description=" ".join(
                [organisation.description_fr, organisation.description_en, organisation.city]
            ),
        )


def _words(entry: Any) -> set[str]:
    return text.vocabulary([entry.text_name, entry.text_competences, entry.text_description])


def _log(ids: Iterable[int | None]) -> None:
    DirectoryChange.objects.bulk_create(
        [DirectoryChange(organisation_id=i, token=uuid.uuid4().hex) for i in ids]
    )


def _adjust_vocabulary(delta: Counter[str]) -> None:
    delta = Counter({w: n for w, n in delta.items() if n})
    if not delta:
        return
    current = dict(
        DirectoryTerm.objects.filter(word__in=list(delta)).values_list("word", "entries")
    )
    keep: list[DirectoryTerm] = []
    drop: list[DirectoryTerm] = []
    for word, change in delta.items():
        count = current.get(word, 0) + change
        (keep if count > 0 else drop).append(DirectoryTerm(word=word[:40], entries=max(count, 0)))
    DirectoryTerm.objects.filter(word__in=[t.word for t in drop]).delete()
    DirectoryTerm.objects.bulk_create(
        keep, update_conflicts=True, unique_fields=["word"], update_fields=["entries"]
    )


def organisation_reindex(organisation_ids: Iterable[int]) -> None:
    """Rewrite the index entries of these organisations (and drop those that no longer exist)."""
    ids = sorted({int(i) for i in organisation_ids})
    if not ids:
        return
    engine = engine_for()
    today = timezone.localdate()
    with transaction.atomic():
        old = list(
            DirectoryEntry.objects.filter(organisation_id__in=ids).only(
                "organisation_id", "text_name", "text_competences", "text_description"
            )
        )
        entries = list(_entries(ids, today))
        delta: Counter[str] = Counter()
        for entry in old:
            delta.subtract(_words(entry))
        for entry in entries:
            delta.update(_words(entry))
        DirectoryEntry.objects.filter(organisation_id__in=ids).delete()
        engine.delete(ids)
        DirectoryEntry.objects.bulk_create(entries)
        engine.replace(
            [(e.pk, e.text_name, e.text_competences, e.text_description) for e in entries]
        )
        _adjust_vocabulary(delta)
        _log(ids)


def directory_rebuild(*, chunk: int = CHUNK, progress: Any = None) -> int:
    """Rebuild the whole index from the organisations; returns the number of entries."""
    engine = engine_for()
    today = timezone.localdate()
    all_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    vocabulary: Counter[str] = Counter()
    with transaction.atomic():
        DirectoryEntry.objects.all().delete()
        DirectoryTerm.objects.all().delete()
        DirectoryWordSet.objects.all().delete()
        DirectoryChange.objects.all().delete()
        engine.clear()
        for start in range(0, len(all_ids), chunk):
            entries = list(_entries(all_ids[start : start + chunk], today))
            DirectoryEntry.objects.bulk_create(entries, batch_size=500)
            if not isinstance(engine, PostgresEngine):
                engine.replace(
                    [(e.pk, e.text_name, e.text_competences, e.text_description) for e in entries]
                )
            for entry in entries:
                vocabulary.update(_words(entry))
            if progress:
                progress(min(start + chunk, len(all_ids)), len(all_ids))
        if isinstance(engine, PostgresEngine):
            engine.rebuild_all()
        DirectoryTerm.objects.bulk_create(
            [DirectoryTerm(word=w[:40], entries=n) for w, n in vocabulary.items()],
            batch_size=2000,
        )
        _log([None])
        persist_frequent_words(DirectoryChange.objects.latest("pk").pk)
    if isinstance(engine, PostgresEngine):
        engine.vacuum()
    return len(all_ids)
