"""The search engine on the configured database (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from grappe.directory.indexing import directory_rebuild, member_interval
from grappe.directory.models import DirectoryChange, DirectoryEntry, DirectoryTerm
from grappe.directory.search import DirectoryQuery, directory_search, parse_directory_query
from grappe.directory.tests.conftest import make_org
from grappe.members.models import OrgKind

pytestmark = pytest.mark.django_db


def names(page):
    return [o.name for o in page.results]


def search(text="", viewer=None, **filters):
    return directory_search(DirectoryQuery(text=text, **filters), viewer=viewer or AnonymousUser())


def facet(page, name):
    return {v.value: v.count for v in page.facets[name]}


def test_search_ignores_accents_and_case(crafted):
    # when visitors search the same word spelt four ways
    pages = [search(t) for t in ["métrologie", "METROLOGIE", "Metrologie", "métrologie"]]
    # then each finds the metrology firm
    assert [names(p) for p in pages] == [["Mesures Occitanes"]] * 4


@pytest.mark.parametrize(
    ("one", "other"),
    [("lasers", "laser"), ("optiques", "optique"), ("imaging", "image"), ("imagery", "imagerie")],
)
def test_search_knows_french_and_english_word_forms(crafted, one, other):
    assert names(search(one)) == names(search(other))
    assert search(one).total >= 1


def test_a_name_match_ranks_before_a_competence_match_before_a_description(crafted):
    # given "laser" in a name, in a competence only, in a description only (and a non-member)
    page = search("laser")
    # then the three members come in that order and the non-member is not listed
    assert names(page) == ["Laser Fibre Provence", "Alpha Ultrabref", "Optique Azur"]
    assert page.total == 3


def test_the_rarer_word_weighs_more_in_a_two_word_query(db):
    # given "systèmes" in five organisations and "kryptonite" in two, each once in a name
    from grappe.directory.indexing import organisation_reindex

    x = make_org(name="Kryptonite Labs", slug="x", description_fr="Des systèmes optiques.")
    y = make_org(name="Systèmes Delta", slug="y", description_fr="De la kryptonite.")
    others = [
        make_org(name=f"Autre {n}", slug=f"o{n}", description_fr="Systèmes.") for n in range(3)
    ]
    organisation_reindex([x.pk, y.pk, *(o.pk for o in others)])
    # when both words are searched, then the name holding the rarer word comes first
    assert names(search("systèmes kryptonite")) == ["Kryptonite Labs", "Systèmes Delta"]
    assert names(search("kryptonite systemes")) == ["Kryptonite Labs", "Systèmes Delta"]


def test_a_complete_profile_comes_first_among_equals(db):
    from grappe.directory.indexing import organisation_reindex

    bare = make_org(name="Aaa Optique", slug="a", description_en="", website="")
    complete = make_org(
        name="Zzz Optique", slug="z", website="https://z.example",
        codes=("tech.lasers", "market.space", "chain.systems"),
    )  # fmt: skip
    organisation_reindex([bare.pk, complete.pk])
    assert names(search("optique")) == ["Zzz Optique", "Aaa Optique"]
    assert names(search()) == ["Aaa Optique", "Zzz Optique"]


def test_without_text_the_directory_lists_members_by_name(crafted):
    page = search()
    assert names(page) == [
        "Alpha Ultrabref", "Laser Fibre Provence", "Mesures Occitanes", "Optique Azur",
        "Vision Sud",
    ]  # fmt: skip


def test_facets_count_the_matches_per_value(crafted):
    page = search("laser")
    assert facet(page, "kind") == {OrgKind.SME: 2, OrgKind.STARTUP: 1}
    assert facet(page, "technology") == {
        "tech.lasers": 2, "tech.components": 1,
    }  # fmt: skip
    assert facet(page, "market") == {"market.industry": 1, "market.science": 1, "market.space": 1}
    assert facet(page, "region") == {"FRL0": 3}


def test_a_technology_matches_its_descendants(crafted):
    # when filtering on the branch "lasers"
    page = search(technology=["tech.lasers"])
    # then the fibre-laser and ultrafast-laser members are found, and the branch opens
    assert names(page) == ["Alpha Ultrabref", "Laser Fibre Provence"]
    assert facet(page, "technology")["tech.lasers.fibre"] == 1
    assert facet(page, "technology")["tech.lasers.ultrafast"] == 1
    assert [v.value for v in page.facets["technology"] if v.selected] == ["tech.lasers"]


def test_facet_counts_ignore_the_facets_own_selection(crafted):
    # given a kind ticked
    page = search(kind=[OrgKind.STARTUP])
    # then the results are filtered, but the kind counts still show the other kinds
    assert names(page) == ["Alpha Ultrabref"]
    assert facet(page, "kind") == {OrgKind.SME: 3, OrgKind.STARTUP: 1, OrgKind.LAB: 1}
    assert facet(page, "region") == {"FRL0": 1}


def test_values_of_one_facet_add_up_and_facets_combine(crafted):
    assert search(kind=[OrgKind.STARTUP, OrgKind.LAB]).total == 2
    assert names(search("optique", region=["FRJ2"])) == ["Mesures Occitanes"]
    assert search("laser", region=["FRJ2"]).total == 0


def test_pagination(crafted):
    first = directory_search(DirectoryQuery(), viewer=AnonymousUser(), page=1, per_page=2)
    third = directory_search(DirectoryQuery(), viewer=AnonymousUser(), page=3, per_page=2)
    beyond = directory_search(DirectoryQuery(), viewer=AnonymousUser(), page=9, per_page=2)
    assert (first.total, first.pages, first.page) == (5, 3, 1)
    assert names(first) == ["Alpha Ultrabref", "Laser Fibre Provence"]
    assert names(third) == ["Vision Sud"]
    assert (beyond.page, names(beyond)) == (3, ["Vision Sud"])


def test_pagination_through_ranked_results_keeps_the_order(crafted):
    pages = [
        names(directory_search(DirectoryQuery(text="laser"), viewer=AnonymousUser(), page=n, per_page=1))
        for n in (1, 2, 3)
    ]  # fmt: skip
    assert pages == [["Laser Fibre Provence"], ["Alpha Ultrabref"], ["Optique Azur"]]


def test_staff_may_include_non_members_others_may_not(crafted, staff, member):
    query = DirectoryQuery(text="laser", include_non_members=True)
    assert "Laser Hors Pôle" in names(directory_search(query, viewer=staff))
    assert directory_search(query, viewer=staff).total == 4
    assert directory_search(query, viewer=member).total == 3
    assert directory_search(query, viewer=AnonymousUser()).total == 3
    # and staff without the filter see members only
    assert search("laser", viewer=staff).total == 3


def test_size_and_trl_facets_are_for_members_only(crafted, member):
    visitor_page = search(size_class=["medium"])
    member_page = search(viewer=member, size_class=["medium"])
    assert "size_class" not in visitor_page.facets and "trl" not in visitor_page.facets
    assert visitor_page.total == 5  # the filter is ignored for visitors
    assert names(member_page) == ["Vision Sud"]
    assert member_page.members_directory is True


def test_a_misspelt_word_is_corrected(crafted):
    page = search("lazer")
    assert page.suggestion == "laser"
    assert names(page) == ["Laser Fibre Provence", "Alpha Ultrabref", "Optique Azur"]


def test_a_misspelt_word_keeps_the_rest_of_the_query(crafted):
    page = search("Métrolgie optique")
    assert page.suggestion == "metrologie optique"
    assert names(page) == ["Mesures Occitanes"]


def test_a_word_being_typed_matches_as_a_prefix(crafted):
    page = search("hyperspec")
    assert (names(page), page.suggestion) == (["Vision Sud"], "")


def test_nothing_found_gives_no_suggestion(crafted):
    page = search("zzzzqqq")
    assert (page.total, page.suggestion, page.results) == (0, "", [])


def test_parse_directory_query_from_a_querydict_and_a_dict():
    params = QueryDict(
        "q=fibre+laser&kind=sme&kind=nonsense&technology=tech.lasers&region=FRL0"
        "&size_class=small&market=bad code&non_members=1&value_chain=chain.systems"
    )
    query = parse_directory_query(params)
    assert query == DirectoryQuery(
        text="fibre laser", kind=["sme"], technology=["tech.lasers"], region=["FRL0"],
        size_class=["small"], value_chain=["chain.systems"], include_non_members=True,
    )  # fmt: skip
    assert parse_directory_query({"q": ["imagerie"], "college": ["research", "x"]}) == (
        DirectoryQuery(text="imagerie", college=["research"])
    )
    assert parse_directory_query({}) == DirectoryQuery()


def test_unknown_competence_codes_are_ignored(crafted):
    assert search(technology=["tech.nothing"]).total == 5


@pytest.mark.parametrize("per_page", [5, 50])
def test_results_take_a_fixed_number_of_queries(db, django_assert_max_num_queries, per_page):
    # given 60 members with competences
    orgs = [
        make_org(
            name=f"Photonique {n:02}", slug=f"p-{n}", codes=("tech.lasers.fibre", "market.space")
        )
        for n in range(60)
    ]
    from grappe.directory.indexing import organisation_reindex

    organisation_reindex([o.pk for o in orgs])
    search("laser")  # the first search of a process loads the snapshot
    # when a page is asked for, then the number of queries does not depend on its size
    # 8 queries, and 3 more on PostgreSQL (a savepoint around SET LOCAL for the word's sets)
    with django_assert_max_num_queries(8 if connection.vendor == "sqlite" else 11):
        page = directory_search(
            DirectoryQuery(text="photonique"), viewer=AnonymousUser(), per_page=per_page
        )
    assert len(page.results) == per_page
    assert [c.code for c in page.results[0].competences.all()] == [
        "market.space",
        "tech.lasers.fibre",
    ]


def test_member_interval_joins_back_to_back_years():
    import datetime as dt

    d = dt.date
    periods = [(d(2025, 1, 1), d(2025, 12, 31)), (d(2026, 1, 1), d(2026, 12, 31))]
    assert member_interval(periods, d(2025, 6, 1)) == (d(2025, 1, 1), d(2026, 12, 31))
    assert member_interval(periods, d(2027, 1, 1)) == (None, None)
    assert member_interval([(d(2027, 3, 1), d(2027, 12, 31))], d(2026, 6, 1)) == (
        d(2027, 3, 1), d(2027, 12, 31),
    )  # fmt: skip


def test_the_snapshot_follows_changes_made_after_it_was_read(crafted):
    # given a search already made (the process holds the facets in memory)
    assert search("optique").total == 3
    # when an organisation is added and reindexed
    new = make_org(name="Optique Nouvelle", slug="optique-nouvelle", codes=("market.space",))
    from grappe.directory.indexing import organisation_reindex

    organisation_reindex([new.pk])
    # then the next search sees it, with its facets
    page = search("optique")
    assert page.total == 4
    assert facet(page, "market")["market.space"] == 2


def test_rebuild_and_the_command_index_every_organisation(crafted):
    DirectoryEntry.objects.all().delete()
    assert directory_rebuild() == 6
    assert DirectoryEntry.objects.count() == 6
    assert DirectoryChange.objects.filter(organisation_id__isnull=True).count() == 1
    assert DirectoryTerm.objects.get(word="laser").entries == 4
    call_command("directory_reindex", verbosity=0)
    assert search("laser").total == 3
    assert names(search("imagerie")) == ["Vision Sud"]


def test_reindexing_keeps_the_vocabulary_counts(crafted):
    from grappe.directory.indexing import organisation_reindex

    assert DirectoryTerm.objects.get(word="sud").entries == 1
    organisation = crafted["imaging"]
    organisation.name, organisation.legal_name = "Vision Nord", "Vision Nord SAS"
    organisation.save()
    organisation_reindex([organisation.pk])
    assert not DirectoryTerm.objects.filter(word="sud").exists()
    assert DirectoryTerm.objects.get(word="nord").entries == 1
    assert DirectoryTerm.objects.get(word="vision").entries == 1
    assert names(search("nord")) == ["Vision Nord"]
    assert search("sud").total == 0


def test_frequent_words_are_precomputed_and_patched_from_the_change_log(crafted, monkeypatch):
    # given every word counts as frequent, and a rebuild that precomputes their sets
    from grappe.directory import cache
    from grappe.directory.indexing import organisation_reindex
    from grappe.directory.models import DirectoryWordSet

    monkeypatch.setattr(cache, "PERSIST_MIN_ENTRIES", 1)
    monkeypatch.setattr(cache, "PERSIST_MIN_SHARE", 0)
    directory_rebuild()
    assert DirectoryWordSet.objects.filter(key__in=["laser", "optique"]).count() == 2
    # when an organisation about lasers is added after the rebuild, in a fresh process
    new = make_org(name="Nouveau Laser", slug="nouveau-laser", codes=("market.space",))
    organisation_reindex([new.pk])
    cache.reset()
    asked = []
    real = cache._from_engine

    def spy(word, prefix, using, only=None):
        asked.append((word, only))
        return real(word, prefix, using, only)

    monkeypatch.setattr(cache, "_from_engine", spy)
    # then the search starts from the precomputed set and asks the engine about the new one only
    page = search("laser")
    assert asked == [("laser", [new.pk])]
    assert names(page) == [
        "Laser Fibre Provence", "Nouveau Laser", "Alpha Ultrabref", "Optique Azur",
    ]  # fmt: skip
    # and once patched, the process keeps the set: no more engine query for that word
    asked.clear()
    assert search("laser").total == 4
    assert names(search("imagerie")) == ["Vision Sud"]
    assert asked == [("imagerie", [new.pk])]
