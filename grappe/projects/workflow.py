"""The labelling workflow as data: which status may follow which, and who may move a file.

Each row is (from, to, who, service). "who" names roles of the actor towards the file:

- `contact`: a consortium contact of the file (ProjectContact);
- `staff`: cluster staff;
- `chair`: the chair of the committee of the file's session;
- `expert`: an expert assigned to the file (accepted, agreement signed, no conflict) — only
  to mark the reviews complete once every accepted review is in.

`grappe.projects.permissions.transition_refusal` reads this table; each service of
`grappe.projects.services.workflow` performs one kind of move."""

from __future__ import annotations

from dataclasses import dataclass

from grappe.projects.models import Decision, RequestStatus

S = RequestStatus

CONTACT = "contact"
STAFF = "staff"
CHAIR = "chair"
EXPERT = "expert"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    service: str  # the name of the function in grappe.projects.services.workflow


def _t(source: str, target: str, roles: set[str], service: str) -> Transition:
    return Transition(source, target, frozenset(roles), service)


# What the committee may decide; the decision is also the file's next status.
DECISIONS: tuple[str, ...] = tuple(Decision.values)
# Decisions after which a certificate is issued (a label, a support letter or an opinion).
CERTIFIED_DECISIONS = (Decision.LABELLED, Decision.LABELLED_RESERVATIONS, Decision.SUPPORT_LETTER)
# The consortium may withdraw its file until the committee has decided.
WITHDRAWABLE = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.REVIEWS_COMPLETE, S.COMMITTEE)
OUTCOMES = (S.FUNDED, S.NOT_FUNDED, S.WITHDRAWN)

TRANSITIONS: tuple[Transition, ...] = (
    _t(S.DRAFT, S.SUBMITTED, {CONTACT}, "request_submit"),
    _t(S.SUBMITTED, S.DRAFT, {STAFF}, "request_reopen"),
    _t(S.SUBMITTED, S.INADMISSIBLE, {STAFF}, "request_declare_inadmissible"),
    _t(S.SUBMITTED, S.UNDER_REVIEW, {STAFF}, "request_start_review"),
    _t(S.UNDER_REVIEW, S.REVIEWS_COMPLETE, {STAFF, EXPERT}, "request_mark_reviews_complete"),
    _t(S.REVIEWS_COMPLETE, S.COMMITTEE, {STAFF}, "request_to_committee"),
    *(_t(S.COMMITTEE, decision, {STAFF, CHAIR}, "request_decide") for decision in DECISIONS),
    _t(S.DEFERRED, S.COMMITTEE, {STAFF}, "request_to_committee"),
    *(
        _t(decision, S.CERTIFICATE_ISSUED, {STAFF}, "request_issue_certificate")
        for decision in CERTIFIED_DECISIONS
    ),
    _t(
        S.CERTIFICATE_ISSUED, S.SUBMITTED_TO_FUNDER, {CONTACT, STAFF}, "request_submitted_to_funder"
    ),
    *(
        _t(S.SUBMITTED_TO_FUNDER, outcome, {CONTACT, STAFF}, "request_record_outcome")
        for outcome in OUTCOMES
    ),
    *(
        _t(source, S.CLOSED, {STAFF}, "request_close")
        for source in (
            S.INADMISSIBLE,
            S.DEFERRED,
            S.REJECTED,
            S.CERTIFICATE_ISSUED,
            S.FUNDED,
            S.NOT_FUNDED,
            S.WITHDRAWN,
        )
    ),
    *(_t(source, S.WITHDRAWN, {CONTACT, STAFF}, "request_withdraw") for source in WITHDRAWABLE),
)

_BY_MOVE: dict[tuple[str, str], Transition] = {(t.source, t.target): t for t in TRANSITIONS}


def transition_for(source: str, target: str) -> Transition | None:
    """The row that moves a file from `source` to `target`, if there is one."""
    return _BY_MOVE.get((str(source), str(target)))


def targets_from(source: str) -> list[str]:
    """The statuses a file in `source` may move to, in the table's order."""
    return [t.target for t in TRANSITIONS if t.source == source]


def roles_for(target: str, source: str | None = None) -> frozenset[str]:
    """Who may move a file to `target`: from `source` when given, else from any status."""
    if source is not None:
        row = transition_for(source, target)
        if row is not None:
            return row.roles
    roles: set[str] = set()
    for t in TRANSITIONS:
        if t.target == target:
            roles |= t.roles
    return frozenset(roles)


def sources_of(service: str) -> tuple[str, ...]:
    """The statuses from which `service` may be performed."""
    return tuple(dict.fromkeys(t.source for t in TRANSITIONS if t.service == service))
