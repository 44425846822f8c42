"""The taxonomy through the API: the version in force, facets, the tree with its codes."""

from __future__ import annotations

from grappe.members.models import Competence, TaxonomyVersion


def test_the_taxonomy_comes_as_a_tree_with_both_languages(
    client, db, django_assert_max_num_queries
):
    # when anyone asks for the taxonomy, in English
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/taxonomy", HTTP_ACCEPT_LANGUAGE="en")

    # then the shipped version comes with its four facets and its tree
    data = response.json()
    assert data["version"]["code"] == "2026.1"
    assert [f["code"] for f in data["facets"]] == ["technology", "market", "value_chain", "trl"]
    assert data["facets"][1] == {
        "code": "market",
        "name": "Application markets",
        "name_fr": "Marchés d’application",
        "name_en": "Application markets",
    }
    lasers = data["competences"][0]
    assert {k: v for k, v in lasers.items() if k != "children"} == {
        "code": "tech.lasers",
        "facet": "technology",
        "name": "Lasers and sources",
        "name_fr": "Lasers et sources",
        "name_en": "Lasers and sources",
        "nace_code": "27.90",
        "photonics21": "WG5",
    }
    assert lasers["children"][0]["code"] == "tech.lasers.fibre"
    assert lasers["children"][0]["children"] == []

    def count(nodes):
        return sum(1 + count(node["children"]) for node in nodes)

    assert count(data["competences"]) == Competence.objects.filter(is_active=True).count() == 94


def test_names_follow_the_requested_language(client, db):
    data = client.get("/api/v1/taxonomy?lang=fr", HTTP_ACCEPT_LANGUAGE="en").json()

    assert data["competences"][0]["name"] == "Lasers et sources"
    assert data["facets"][0]["name"] == "Technologies"


def test_without_a_taxonomy_in_force_the_answer_is_404(client, db):
    # given no version is current
    TaxonomyVersion.objects.update(is_current=False)

    response = client.get("/api/v1/taxonomy", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No taxonomy has been published yet."
