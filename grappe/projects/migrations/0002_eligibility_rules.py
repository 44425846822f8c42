"""The eligibility rules of PSPC-Régions / FUI and i-Démo, as data (staff may edit them).

Messages take `{placeholders}` from the rule's params (n, percent) and from what the check
found (found, partner, share, coordinator, kind)."""

from django.db import migrations

RULES = [
    # scheme, check, params, French, English
    (
        "pspc", "min_companies", {"n": 2},
        "PSPC-Régions : il faut au moins {n} entreprises indépendantes ; le consortium en compte "
        "{found} (les partenaires d'un même groupe comptent pour une).",
        "PSPC-Régions: at least {n} independent companies are needed; the consortium has "
        "{found} (partners of one group count once).",
    ),
    (
        "pspc", "min_research", {"n": 1},
        "PSPC-Régions : il faut au moins {n} laboratoire ou organisme de recherche ; le "
        "consortium en compte {found}.",
        "PSPC-Régions: at least {n} lab or research body is needed; the consortium has {found}.",
    ),
    (
        "pspc", "led_by_company", {},
        "PSPC-Régions : le projet doit être coordonné par une entreprise ; le coordinateur "
        "{coordinator} est de type « {kind} ».",
        "PSPC-Régions: the project must be led by a company; the coordinator {coordinator} "
        "is of kind “{kind}”.",
    ),
    (
        "pspc", "max_partner_share", {"percent": 70},
        "PSPC-Régions : aucun partenaire ne peut porter plus de {percent} % du budget ; "
        "{partner} en porte {share} %.",
        "PSPC-Régions: no partner may carry more than {percent} % of the budget; {partner} "
        "carries {share} %.",
    ),
    (
        "pspc", "min_territory_share", {"percent": 25},
        "PSPC-Régions : au moins {percent} % du budget de R&D doit être dépensé sur le "
        "territoire du pôle ; il n'y en a que {share} %.",
        "PSPC-Régions: at least {percent} % of the R&D budget must be spent in the cluster's "
        "territory; only {share} % is.",
    ),
    (
        "idemo", "max_partners", {"n": 6},
        "i-Démo : le consortium compte au plus {n} partenaires ; il en a {found}.",
        "i-Démo: the consortium has at most {n} partners; it has {found}.",
    ),
    (
        "idemo", "led_by_company", {},
        "i-Démo : le projet doit être coordonné par une entreprise (un organisme de recherche "
        "ne peut pas être chef de file) ; le coordinateur {coordinator} est de type « {kind} ».",
        "i-Démo: the project must be led by a company (a research body cannot lead); the "
        "coordinator {coordinator} is of kind “{kind}”.",
    ),
    (
        "idemo", "min_sme_or_midsize", {"n": 1},
        "i-Démo : il faut au moins {n} PME ou ETI dans le consortium ; il en compte {found}.",
        "i-Démo: at least {n} SME or mid-size firm is needed in the consortium; it has {found}.",
    ),
]  # fmt: skip


def load(apps, schema_editor):
    EligibilityRule = apps.get_model("projects", "EligibilityRule")
    for position, (scheme, rule, params, fr, en) in enumerate(RULES):
        EligibilityRule.objects.get_or_create(
            scheme=scheme,
            rule=rule,
            defaults={"params": params, "message_fr": fr, "message_en": en, "position": position},
        )


def unload(apps, schema_editor):
    EligibilityRule = apps.get_model("projects", "EligibilityRule")
    for scheme, rule, _params, _fr, _en in RULES:
        EligibilityRule.objects.filter(scheme=scheme, rule=rule).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
