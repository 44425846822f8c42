"""Benchmark of the directory search at scale (never part of the test suite).

    python bench/directory_search.py [--orgs 100000] [--queries 1000] [--seed 42] [--reuse]

Generates organisations like the demo's (names, French and English descriptions and
competences drawn from grappe/members/data/taxonomy.json) into a database of its own: an
SQLite file under /tmp by default, or the PostgreSQL database named by DATABASE_URL (created
if missing). It then measures `directory_search` itself — the function the directory page
runs, relevance ranking and facet counts included — over a mix of queries. The last line
printed is one JSON object: orgs, engine, p50_ms, p95_ms and figures per category.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PREFIXES = [
    "Lumi", "Opti", "Photo", "Spectra", "Laser", "Vision", "Quanta", "Hélio", "Fibro", "Nano",
    "Micro", "Infra", "Lux", "Prism", "Holo", "Ondu", "Ray", "Cristal", "Sol", "Astro",
]  # fmt: skip
SUFFIXES = ["tek", "lab", "ix", "on", "nova", "tec", "sys", "lite", "is", "ys", "ar", "ium"]
TAILS = [
    "Marseille", "Provence", "Azur", "Méditerranée", "Sud", "Occitanie", "Toulouse",
    "Montpellier", "Systems", "Technologies", "Instruments", "Photonics", "Industrie",
    "Solutions", "Ingénierie", "Innovation", "Labs", "Optique", "Lasers", "Vision",
]  # fmt: skip
KINDS = [  # (kind, share) as in the demo cluster
    ("startup", 20), ("sme", 37), ("midsize", 8), ("large", 7), ("lab", 9),
    ("university", 5), ("tech_centre", 3), ("public", 4), ("association", 5), ("other", 2),
]  # fmt: skip
REGIONS = [
    ("FRL0", 55), ("FRJ1", 10), ("FRJ2", 10), ("FR10", 8), ("FRK2", 6), ("FRI1", 3),
    ("FRH0", 2), ("DE21", 2), ("ES51", 2), ("ITC4", 1), ("BE10", 1),
]  # fmt: skip
SIZES = [("micro", 30), ("small", 35), ("medium", 20), ("midsize", 8), ("large", 4), ("", 3)]
COMMON = ["laser", "optique", "imaging", "photonique", "capteurs", "fibre", "lasers", "optical"]
TYPOS = ["lazer", "optik", "imagery", "imagerie", "métrologie", "metrologie", "spectroscopy",
         "photonik", "interferometrie", "hyperspectrale", "femtoseconde", "infrarouge"]  # fmt: skip


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def setup_django(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grappe.settings")
    # Production-like: DEBUG off (no query log), a throw-away key for this process only.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(24).hex())
    os.environ["GRAPPE_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    url = os.environ.get("DATABASE_URL", "")
    if url:
        import psycopg

        name = url.rsplit("/", 1)[1].split("?")[0]
        server = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(server, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        os.environ["GRAPPE_DATA_DIR"] = args.data_dir or f"/tmp/grappe-bench-{args.orgs}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(args: argparse.Namespace) -> None:
    """Organisations, their competences and memberships, bulk-inserted, then the index."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from grappe.members.models import Competence, Membership, Organisation
    from grappe.members.services.taxonomy import read_taxonomy

    rng = random.Random(args.seed)
    taxonomy = {c["code"]: c for c in read_taxonomy()["competences"]}
    competences = {c.code: c.pk for c in Competence.objects.filter(version__is_current=True)}
    leaves = [code for code, c in taxonomy.items() if c["facet"] == "technology" and c["parent"]]
    markets = [code for code, c in taxonomy.items() if c["facet"] == "market"]
    chain = [code for code, c in taxonomy.items() if c["facet"] == "value_chain"]
    trl = [code for code, c in taxonomy.items() if c["facet"] == "trl"]
    year = timezone.localdate().year
    start = time.perf_counter()
    through = Organisation.competences.through
    with transaction.atomic():
        Organisation.objects.all().delete()
        for first in range(0, args.orgs, 5000):
            orgs, links, memberships = [], [], []
            for n in range(first, min(first + 5000, args.orgs)):
                techs = rng.sample(leaves, rng.randint(1, 3))
                chosen = techs + rng.sample(markets, rng.randint(1, 2))
                chosen += [rng.choice(chain), rng.choice(trl)]
                phrases = [(i, code) for code in techs + chosen[len(techs) : -2] for i in range(3)]
                picked = rng.sample(phrases, min(len(phrases), rng.randint(2, 3)))
                name = f"{rng.choice(PREFIXES)}{rng.choice(SUFFIXES)} {rng.choice(TAILS)}"
                kind = weighted(rng, KINDS)
                orgs.append(Organisation(
                    name=name, legal_name=f"{name} SAS", slug=f"bench-{n}", kind=kind,
                    college={"lab": "research", "university": "research", "tech_centre": "research",
                             "midsize": "large", "large": "large", "public": "other",
                             "association": "other", "other": "other"}.get(kind, "sme"),
                    size_class=weighted(rng, SIZES), region=weighted(rng, REGIONS), city="Marseille",
                    latitude=Decimal("43.3") + Decimal(rng.randint(0, 999)) / 1000,
                    longitude=Decimal("5.3") + Decimal(rng.randint(0, 999)) / 1000,
                    website=f"https://{n}.example" if rng.random() < 0.7 else "",
                    description_fr=" ".join(taxonomy[c]["phrases_fr"][i] for i, c in picked),
                    description_en=" ".join(taxonomy[c]["phrases_en"][i] for i, c in picked)
                    if rng.random() < 0.8 else "",
                ))  # fmt: skip
                links.append([competences[c] for c in chosen])
            created = Organisation.objects.bulk_create(orgs, batch_size=1000)
            for organisation, codes in zip(created, links, strict=True):
                links_rows = [
                    through(organisation_id=organisation.pk, competence_id=c) for c in codes
                ]
                through.objects.bulk_create(links_rows, batch_size=5000)
                if rng.random() < 0.85:
                    memberships.append(Membership(
                        organisation_id=organisation.pk, year=year, status="active",
                        start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), college=organisation.college,
                        fee_full=Decimal(1100), fee=Decimal(1100),
                    ))  # fmt: skip
            Membership.objects.bulk_create(memberships, batch_size=2000)
            print(f"  {min(first + 5000, args.orgs)} organisations", file=sys.stderr)
    print(f"generated in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    analyse_tables()
    reindex()


def reindex() -> None:
    from grappe.directory.indexing import directory_rebuild

    start = time.perf_counter()
    directory_rebuild()
    print(f"indexed in {time.perf_counter() - start:.1f} s", file=sys.stderr)


def analyse_tables() -> None:
    """Statistics after a bulk load, as an operator would (autovacuum may lag behind)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def queries(args: argparse.Namespace) -> list[tuple[str, dict]]:
    """The query mix: (category, GET parameters)."""
    from grappe.directory.models import DirectoryTerm
    from grappe.members.models import Competence

    rng = random.Random(args.seed + 1)
    vocabulary = list(
        DirectoryTerm.objects.order_by("-entries", "word").values_list("word", flat=True)
    )
    present = set(vocabulary)
    common = [w for w in COMMON if w in present] or vocabulary[:8]
    tech = list(
        Competence.objects.filter(
            version__is_current=True, facet="technology", parent__isnull=True
        ).values_list("code", flat=True)
    )
    markets = list(Competence.objects.filter(version__is_current=True, facet="market")
                   .values_list("code", flat=True))  # fmt: skip
    kinds = [k for k, _ in KINDS]
    regions = [r for r, _ in REGIONS]
    mix: list[tuple[str, dict]] = []
    for _ in range(args.queries):
        category = rng.choices(
            ["any_word", "common_word", "word_two_facets", "facet_only", "two_words", "misspelt",
             "browse"], weights=[30, 15, 15, 10, 15, 10, 5])[0]  # fmt: skip
        params: dict = {}
        if category == "any_word":  # drawn uniformly over the rank: rare to very common
            params["q"] = [vocabulary[rng.randrange(len(vocabulary))]]
        elif category == "common_word":
            params["q"] = [rng.choice(common)]
        elif category == "word_two_facets":
            params.update(q=[rng.choice(common + vocabulary[:200])], kind=[rng.choice(kinds)],
                          region=[rng.choice(regions)])  # fmt: skip
        elif category == "facet_only":
            params[rng.choice(["technology", "market"])] = [rng.choice(tech + markets)]
        elif category == "two_words":
            params["q"] = [
                f"{rng.choice(common)} {vocabulary[rng.randrange(min(400, len(vocabulary)))]}"
            ]
        elif category == "misspelt":
            params["q"] = [rng.choice(TYPOS)]
        params["page"] = rng.choice([1, 1, 1, 1, 2, 3, 10])
        mix.append((category, params))
    return mix


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(args: argparse.Namespace) -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from grappe.directory import cache
    from grappe.directory.search import directory_search, parse_directory_query

    mix = queries(args)
    viewer = AnonymousUser()
    if args.engine_only:  # measure the engines' cold path: no precomputed word sets
        from grappe.directory.models import DirectoryWordSet

        DirectoryWordSet.objects.all().delete()
    cache.reset()
    start = time.perf_counter()
    directory_search(parse_directory_query({}), viewer=viewer)
    load_ms = (time.perf_counter() - start) * 1000
    timings: dict[str, list[float]] = {}
    for category, params in mix:
        query = parse_directory_query(params)
        start = time.perf_counter()
        page = directory_search(query, viewer=viewer, page=params["page"], per_page=20)
        timings.setdefault(category, []).append((time.perf_counter() - start) * 1000)
        assert page.total >= 0
    every = [t for values in timings.values() for t in values]
    again = []  # the same mix once more: what a process that has seen these words answers
    for _category, params in mix:
        query = parse_directory_query(params)
        start = time.perf_counter()
        directory_search(query, viewer=viewer, page=params["page"], per_page=20)
        again.append((time.perf_counter() - start) * 1000)
    return {
        "orgs": args.orgs,
        "engine": connection.vendor + ":" + cache.engine_for().name,
        "queries": len(every),
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(percentile(every, 0.95), 2),
        "max_ms": round(max(every), 2),
        "snapshot_load_ms": round(load_ms, 1),
        "precomputed_words": not args.engine_only,
        "second_pass_p50_ms": round(statistics.median(again), 2),
        "second_pass_p95_ms": round(percentile(again, 0.95), 2),
        "categories": {
            name: {
                "n": len(values),
                "p50_ms": round(statistics.median(values), 2),
                "p95_ms": round(percentile(values, 0.95), 2),
            }
            for name, values in sorted(timings.items())
        },  # fmt: skip
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data-dir", default="", help="SQLite directory (default /tmp/...)")
    parser.add_argument("--reuse", action="store_true", help="keep an already generated base")
    parser.add_argument("--analyse", action="store_true", help="with --reuse: ANALYZE first")
    parser.add_argument("--reindex", action="store_true", help="with --reuse: rebuild the index")
    parser.add_argument(
        "--engine-only", action="store_true",
        help="drop the precomputed word sets first (needs --reindex afterwards to restore them)",
    )  # fmt: skip
    args = parser.parse_args()
    setup_django(args)
    from grappe.directory.models import DirectoryEntry

    if not (args.reuse and DirectoryEntry.objects.count() == args.orgs):
        generate(args)
    elif args.reindex:
        reindex()
    elif args.analyse:
        analyse_tables()
    result = measure(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
