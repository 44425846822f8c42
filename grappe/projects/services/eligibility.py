"""Eligibility of a file for its target scheme, from the rules stored as data.

Each `EligibilityRule` row names a check (`RuleCheck`), its numbers (`params`) and a message in
French and English with `{placeholders}` filled from the params and from what the check found.
`eligibility_check(request)` runs the active rules of the file's scheme and returns the
messages of the broken ones, in the current language. One function per check below; each
receives the consortium (subcontractors do not count as partners, but their budget counts)
and the rule's params, and returns None when the rule holds, else its findings."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.members.models import COMPANY_KINDS, RESEARCH_KINDS, OrgKind, SizeClass
from grappe.projects.models import (
    EligibilityRule,
    LabellingRequest,
    Partner,
    PartnerRole,
    RuleCheck,
)

Findings = dict[str, Any]

SME_OR_MIDSIZE_KINDS = {OrgKind.STARTUP, OrgKind.SME, OrgKind.MIDSIZE}
SME_OR_MIDSIZE_SIZES = {SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.MIDSIZE}

# What each check needs in `params`, with a default (staff may edit the rules).
PARAMS: dict[str, dict[str, int]] = {
    RuleCheck.MIN_COMPANIES: {"n": 2},
    RuleCheck.MIN_RESEARCH: {"n": 1},
    RuleCheck.LED_BY_COMPANY: {},
    RuleCheck.MAX_PARTNER_SHARE: {"percent": 70},
    RuleCheck.MIN_TERRITORY_SHARE: {"percent": 25},
    RuleCheck.MAX_PARTNERS: {"n": 6},
    RuleCheck.MIN_SME_OR_MIDSIZE: {"n": 1},
    RuleCheck.MIN_PARTNERS: {"n": 2},
    RuleCheck.MIN_MEMBER_PARTNERS: {"n": 1},
}


@dataclass(frozen=True)
class Consortium:
    """The partners of one file, loaded once (organisation and its group included)."""

    partners: tuple[Partner, ...]
    member_org_ids: frozenset[int]

    @property
    def full_partners(self) -> list[Partner]:
        return [p for p in self.partners if p.role != PartnerRole.SUBCONTRACTOR]

    @property
    def total(self) -> Decimal:
        return sum((p.budget for p in self.partners), Decimal(0))

    @property
    def coordinator(self) -> Partner | None:
        return next((p for p in self.partners if p.role == PartnerRole.COORDINATOR), None)


def consortium_of(request: LabellingRequest, on: dt.date | None = None) -> Consortium:
    """Two queries: the partners with their organisations, and which of these are members."""
    from grappe.members.selectors import member_organisations

    partners = tuple(request.partners.select_related("organisation").order_by("position", "id"))
    org_ids = {p.organisation_id for p in partners if p.organisation_id}
    members = frozenset(
        member_organisations(on or timezone.localdate())
        .filter(pk__in=org_ids)
        .values_list("pk", flat=True)
    )
    return Consortium(partners=partners, member_org_ids=members)


def _param(params: dict[str, Any], check: str, key: str) -> int:
    value = params.get(key, PARAMS[check][key])
    try:
        return int(value)
    except (TypeError, ValueError):
        return PARAMS[check][key]


def _share(part: Decimal, whole: Decimal) -> Decimal:
    if not whole:
        return Decimal(0)
    return (part * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def is_company(partner: Partner) -> bool:
    return partner.kind in COMPANY_KINDS


def is_research(partner: Partner) -> bool:
    return partner.kind in RESEARCH_KINDS


def is_sme_or_midsize(partner: Partner) -> bool:
    """A company that is an SME or a mid-size firm: its declared size class wins over its kind."""
    if not is_company(partner):
        return False
    if partner.size_class:
        return partner.size_class in SME_OR_MIDSIZE_SIZES
    return partner.kind in SME_OR_MIDSIZE_KINDS


def independent_groups(partners: list[Partner]) -> list[list[Partner]]:
    """Partners grouped by group: the same `group_name`, the same parent group, or one being
    the other's parent group put two partners in one group (transitively)."""
    parent = list(range(len(partners)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    keys: dict[tuple[str, Any], int] = {}
    for index, partner in enumerate(partners):
        organisation = partner.organisation
        own: list[tuple[str, Any]] = []
        if partner.group_name.strip():
            own.append(("name", partner.group_name.strip().casefold()))
        if organisation is not None:
            own.append(("org", organisation.pk))
            if organisation.parent_group_id:
                own.append(("org", organisation.parent_group_id))
        for key in own:
            if key in keys:
                parent[find(index)] = find(keys[key])
            else:
                keys[key] = index
    groups: dict[int, list[Partner]] = {}
    for index, partner in enumerate(partners):
        groups.setdefault(find(index), []).append(partner)
    return list(groups.values())


# --- one function per RuleCheck: None when the rule holds, else what was found -------------


def check_min_companies(consortium: Consortium, params: dict[str, Any]) -> Findings | None:
    n = _param(params, RuleCheck.MIN_COMPANIES, "n")
    companies = [p for p in consortium.full_partners if is_company(p)]
    found = len(independent_groups(companies))
    return None if found >= n else {"n": n, "found": found}


def check_min_research(consortium: Consortium, params: dict[str, Any]) -> Findings | None:
    n = _param(params, RuleCheck.MIN_RESEARCH, "n")
    found = sum(1 for p in consortium.full_partners if is_research(p))
    return None if found >= n else {"n": n, "found": found}


def check_led_by_company(consortium: Consortium, params: dict[str, Any]) -> Findings | None:
    coordinator = consortium.coordinator
    if coordinator is not None and is_company(coordinator):
        return None
    if coordinator is None:
        return {"coordinator": _("none"), "kind": _("none")}
    return {"coordinator": coordinator.name, "kind": str(OrgKind(coordinator.kind).label)}


def check_max_partner_share(consortium: Consortium, params: dict[str, Any]) -> Findings | None:
    percent = _param(params, RuleCheck.MAX_PARTNER_SHARE, "percent")
    total = consortium.total
    above = [
        (p, _share(p.budget, total))
        for p in consortium.partners
        if total and _share(p.budget, total) > percent
    ]
    if not above:
        return None
    partner, share = max(above, key=lambda item: item[1])
    return {"percent": percent, "partner": partner.name, "share": share}


def check_min_territory_share(consortium: Consortium, params: dict[str, Any]) -> Findings | None:
    percent = _param(params, RuleCheck.MIN_TERRITORY_SHARE, "percent")
    inside = sum((p.budget for p in consortium.partners if p.in_territory), Decimal(0))
    share = _share(inside, consortium.total)
    return None if share >= percent else {"percent": percent, "share": share}


def check_max_partners(consortium: Consortium, params: dict[str, Any]) -> Findings | None:
    n = _param(params, RuleCheck.MAX_PARTNERS, "n")
    found = len(consortium.full_partners)
    return None if found <= n else {"n": n, "found": found}


def check_min_sme_or_midsize(consortium: Consortium, params: dict[str, Any]) -> Findings | None:
    n = _param(params, RuleCheck.MIN_SME_OR_MIDSIZE, "n")
    found = sum(1 for p in consortium.full_partners if is_sme_or_midsize(p))
    return None if found >= n else {"n": n, "found": found}


def check_min_partners(consortium: Consortium, params: dict[str, Any]) -> Findings | None:
    n = _param(params, RuleCheck.MIN_PARTNERS, "n")
    found = len(consortium.full_partners)
    return None if found >= n else {"n": n, "found": found}


def check_min_member_partners(consortium: Consortium, params: dict[str, Any]) -> Findings | None:
    n = _param(params, RuleCheck.MIN_MEMBER_PARTNERS, "n")
    found = sum(
        1 for p in consortium.full_partners if p.organisation_id in consortium.member_org_ids
    )
    return None if found >= n else {"n": n, "found": found}


CHECKS: dict[str, Callable[[Consortium, dict[str, Any]], Findings | None]] = {
    RuleCheck.MIN_COMPANIES: check_min_companies,
    RuleCheck.MIN_RESEARCH: check_min_research,
    RuleCheck.LED_BY_COMPANY: check_led_by_company,
    RuleCheck.MAX_PARTNER_SHARE: check_max_partner_share,
    RuleCheck.MIN_TERRITORY_SHARE: check_min_territory_share,
    RuleCheck.MAX_PARTNERS: check_max_partners,
    RuleCheck.MIN_SME_OR_MIDSIZE: check_min_sme_or_midsize,
    RuleCheck.MIN_PARTNERS: check_min_partners,
    RuleCheck.MIN_MEMBER_PARTNERS: check_min_member_partners,
}


class _Keep(dict[str, Any]):
    """Unknown placeholders stay as written rather than breaking the message."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


def render_message(template: str, values: dict[str, Any]) -> str:
    """The rule's message with its `{placeholders}`; a malformed template is shown as is."""
    try:
        return string.Formatter().vformat(
            template, (), _Keep({k: _number(v) for k, v in values.items()})
        )
    except (ValueError, IndexError):
        return template


def placeholders(template: str) -> set[str]:
    """The `{names}` a message uses (raises ValueError when the braces are unbalanced)."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def rule_findings(rule: EligibilityRule, consortium: Consortium) -> Findings | None:
    return CHECKS[rule.rule](consortium, rule.params or {})


def eligibility_check(request: LabellingRequest) -> list[str]:
    """The messages of the broken rules of the file's scheme, in the current language."""
    rules = list(EligibilityRule.objects.filter(scheme=request.scheme, is_active=True))
    if not rules:
        return []
    consortium = consortium_of(request)
    messages = []
    for rule in rules:
        findings = rule_findings(rule, consortium)
        if findings is not None:
            messages.append(render_message(rule.message, {**(rule.params or {}), **findings}))
    return messages
