"""Who may see and do what with a labelling file. One place decides; views, the API, templates
and services ask these functions.

Confidentiality: a file's confidential content (description, budgets per partner, documents,
reviews) is visible only to its consortium's contacts, staff, and its *cleared* experts — an
assignment accepted, the confidentiality agreement signed, and no conflict of interest (an
expert with a conflict sees nothing even if an assignment row exists). The committee of the
file's session sees the file's public part (to decide). The public sees only the public
summary of labelled full proposals whose consortium agreed to publish it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from grappe.core.permissions import is_authenticated, is_staff
from grappe.projects import workflow
from grappe.projects.models import (
    AssignmentStatus,
    Certificate,
    CommitteeMember,
    CommitteeRole,
    Decision,
    LabellingRequest,
    ProjectContact,
    ProjectDocument,
    RequestStatus,
    Stage,
)

S = RequestStatus

# A label, or a label with reservations: what the public list shows (with consent).
LABEL_DECISIONS = (Decision.LABELLED, Decision.LABELLED_RESERVATIONS)
# Files still being prepared or judged: the project cannot start another one meanwhile.
IN_PROGRESS = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.REVIEWS_COMPLETE, S.COMMITTEE)


def public_requests_q(prefix: str = "") -> Q:
    """Labelled full proposals whose consortium agreed to publish, certificate not revoked."""
    return Q(
        **{
            f"{prefix}decision__in": LABEL_DECISIONS,
            f"{prefix}publish_consent": True,
            f"{prefix}stage": Stage.FULL,
        }
    ) & ~Q(**{f"{prefix}certificate__revoked_at__isnull": False})


def is_public_request(request: LabellingRequest) -> bool:
    if not (
        request.decision in LABEL_DECISIONS
        and request.publish_consent
        and request.stage == Stage.FULL
    ):
        return False
    return not Certificate.objects.filter(request=request, revoked_at__isnull=False).exists()


# --- the viewer's roles towards one file ---------------------------------------------------


def is_contact(user: Any, request: LabellingRequest) -> bool:
    if not is_authenticated(user) or request.pk is None:
        return False
    return ProjectContact.objects.filter(request=request, user=user).exists()


def is_cleared_expert(user: Any, request: LabellingRequest) -> bool:
    """Assigned and accepted, the agreement in force signed, and no conflict of interest."""
    if not is_authenticated(user) or request.pk is None:
        return False
    from grappe.projects.models import Assignment
    from grappe.projects.models.experts import NDA_VERSION

    assignment = (
        Assignment.objects.filter(
            request=request,
            expert__user=user,
            status=AssignmentStatus.ACCEPTED,
            expert__nda_accepted_at__isnull=False,
            expert__nda_version=NDA_VERSION,  # the agreement in force, not an older one
        )
        .select_related("expert")
        .first()
    )
    if assignment is None:
        return False
    from grappe.projects.conflicts import expert_conflicts

    return not expert_conflicts(assignment.expert, request)


def committee_role(user: Any, request: LabellingRequest) -> str:
    """The user's seat on the committee of the file's session ("" when none)."""
    if not is_authenticated(user):
        return ""
    seat = (
        CommitteeMember.objects.filter(session_id=request.session_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return seat or ""


def is_committee_chair(user: Any, request: LabellingRequest) -> bool:
    return committee_role(user, request) == CommitteeRole.CHAIR


def request_roles(user: Any, request: LabellingRequest) -> frozenset[str]:
    """The workflow roles (`grappe.projects.workflow`) the user holds towards the file."""
    roles: set[str] = set()
    if not is_authenticated(user):
        return frozenset()
    if is_staff(user):
        roles.add(workflow.STAFF)
    if is_contact(user, request):
        roles.add(workflow.CONTACT)
    if is_committee_chair(user, request):
        roles.add(workflow.CHAIR)
    if getattr(user, "is_expert", False) and is_cleared_expert(user, request):
        roles.add(workflow.EXPERT)
    return frozenset(roles)


# --- reading -------------------------------------------------------------------------------


def can_view_request(user: Any, request: LabellingRequest) -> bool:
    """The file's page (its public part): staff, contacts, cleared experts, its committee."""
    if is_staff(user) or is_contact(user, request):
        return True
    if committee_role(user, request):
        return True
    return bool(getattr(user, "is_expert", False)) and is_cleared_expert(user, request)


def can_view_confidential(user: Any, request: LabellingRequest) -> bool:
    """Description, partners' budgets, documents and reviews."""
    if is_staff(user) or is_contact(user, request):
        return True
    return bool(getattr(user, "is_expert", False)) and is_cleared_expert(user, request)


def can_view_exclusions(user: Any, request: LabellingRequest) -> bool:
    """The experts the applicant asked to exclude: never shown to experts."""
    return is_staff(user) or is_contact(user, request)


def can_download_document(user: Any, document: ProjectDocument) -> bool:
    return can_view_confidential(user, document.request)


def can_view_history(user: Any, request: LabellingRequest) -> bool:
    """The project's other requests and decisions: its consortium and staff."""
    return is_staff(user) or is_contact(user, request)


# --- preparing the file --------------------------------------------------------------------


def create_refusal(user: Any) -> str:
    """Why the user may not start a file ("" when they may): contacts of members only."""
    if not is_authenticated(user):
        return _("Log in to submit a project file.")
    from grappe.members.selectors import member_organisations, user_organisations

    if not user_organisations(user).filter(pk__in=member_organisations().values("pk")).exists():
        return _(
            "Only contacts of a member organisation may submit a project file: you are not a "
            "confirmed contact of an organisation whose membership is active."
        )
    return ""


def can_create_request(user: Any) -> bool:
    return create_refusal(user) == ""


def edit_refusal(user: Any, request: LabellingRequest) -> str:
    if not is_contact(user, request):
        return _("Only the consortium's contacts may edit this file.")
    if request.status != S.DRAFT:
        return _("The file was submitted: it can no longer be changed.")
    return ""


def can_edit_request(user: Any, request: LabellingRequest) -> bool:
    """Contacts edit the draft together; submission locks it."""
    return edit_refusal(user, request) == ""


def can_manage_contacts(user: Any, request: LabellingRequest) -> bool:
    """Contacts (and staff) add and remove the file's contacts, whatever its status: a new
    contact must work for a partner organisation."""
    return is_staff(user) or is_contact(user, request)


def can_submit_request(user: Any, request: LabellingRequest) -> bool:
    return can_edit_request(user, request)


def can_resubmit_request(user: Any, request: LabellingRequest) -> bool:
    """A label is for one call: a contact may submit the project again to another session
    once this file is no longer being prepared or judged."""
    return is_contact(user, request) and request.status not in IN_PROGRESS


# --- the workflow --------------------------------------------------------------------------


def transition_refusal(user: Any, request: LabellingRequest, target: str) -> str:
    """Why the user may not move the file to `target` now ("" when they may)."""
    row = workflow.transition_for(request.status, target)
    if row is None:
        return _("A file cannot go from “%(from)s” to “%(to)s”.") % {
            "from": S(request.status).label,
            "to": S(target).label,
        }
    if not (row.roles & request_roles(user, request)):
        return role_refusal(row.roles)
    return ""


def role_refusal(roles: frozenset[str]) -> str:
    """The reason given to someone who holds none of `roles`."""
    if roles == {workflow.STAFF}:
        return _("Only the cluster's staff may do this.")
    if roles == {workflow.STAFF, workflow.CHAIR}:
        return _("Only the cluster's staff or the chair of the session's committee may decide.")
    if workflow.CONTACT in roles:
        return _("Only the consortium's contacts or the cluster's staff may do this.")
    return _("Only the cluster's staff or the file's experts may do this.")


def can_transition(user: Any, request: LabellingRequest, target: str) -> bool:
    return transition_refusal(user, request, target) == ""


def may_act_as(user: Any, request: LabellingRequest, roles: frozenset[str]) -> bool:
    """The user holds one of `roles` towards the file (whatever its status)."""
    return bool(roles & request_roles(user, request))


def can_decide(user: Any, request: LabellingRequest) -> bool:
    """Record the committee's decision: staff or the session's committee chair, on the agenda."""
    return request.status == S.COMMITTEE and bool(
        {workflow.STAFF, workflow.CHAIR} & request_roles(user, request)
    )


# --- certificates --------------------------------------------------------------------------


def can_view_certificate(user: Any, certificate: Certificate) -> bool:
    """The PDF: staff and the consortium (funders check it at its public address)."""
    return is_staff(user) or is_contact(user, certificate.request)


def can_revoke_certificate(user: Any, certificate: Certificate) -> bool:
    return is_staff(user) and certificate.revoked_at is None


# --- staff ---------------------------------------------------------------------------------


def can_manage_sessions(user: Any) -> bool:
    return is_staff(user)


def can_edit_rules(user: Any) -> bool:
    return is_staff(user)


def can_view_portfolio(user: Any) -> bool:
    return is_staff(user)


def can_view_all_requests(user: Any) -> bool:
    return is_staff(user)


# --- experts, reviews and committee (p2) ---
# (Imports of this part are here so that the part above stays as it was.)
from grappe.projects.models import (  # noqa: E402
    Assignment,
    ExpertProfile,
    LabellingSession,
    ReviewStatus,
)
from grappe.projects.models.experts import NDA_VERSION  # noqa: E402


def expert_profile(user: Any) -> ExpertProfile | None:
    """The user's expert profile, if they are an expert with one (cached on the user)."""
    if not is_authenticated(user) or not getattr(user, "is_expert", False):
        return None
    if not hasattr(user, "_grappe_expert_profile"):
        user._grappe_expert_profile = ExpertProfile.objects.filter(user=user).first()
    return user._grappe_expert_profile  # type: ignore[no-any-return]


def has_current_agreement(profile: ExpertProfile | None) -> bool:
    """The expert accepted the current version of the confidentiality agreement."""
    return bool(
        profile is not None
        and profile.nda_accepted_at is not None
        and profile.nda_version == NDA_VERSION
    )


def can_manage_experts(user: Any) -> bool:
    """The pool (list, add, edit experts) and the assignment of experts to files."""
    return is_staff(user)


def can_edit_expert_profile(user: Any, profile: ExpertProfile) -> bool:
    """Staff, or the expert (competences, relationships, availability)."""
    return is_staff(user) or (is_authenticated(user) and profile.user_id == user.pk)


def _own_assignment(user: Any, assignment: Assignment) -> bool:
    return (
        is_authenticated(user)
        and bool(getattr(user, "is_expert", False))
        and assignment.expert.user_id == user.pk
    )


def can_view_assignment(user: Any, assignment: Assignment) -> bool:
    """The expert sees their invitation once staff confirmed it (never a mere proposal)."""
    return _own_assignment(user, assignment) and assignment.status != AssignmentStatus.PROPOSED


def answer_refusal(user: Any, assignment: Assignment) -> str:
    """Why the user may not accept this invitation now ("" when they may)."""
    if not _own_assignment(user, assignment):
        return _("Only the invited expert may answer this invitation.")
    if assignment.status != AssignmentStatus.INVITED:
        return _("This invitation was already answered or withdrawn.")
    if not has_current_agreement(assignment.expert):
        return _("Accept the confidentiality agreement before you accept a file.")
    return ""


def can_answer_assignment(user: Any, assignment: Assignment) -> bool:
    return answer_refusal(user, assignment) == ""


def can_decline_assignment(user: Any, assignment: Assignment) -> bool:
    """Invited, or accepted with the review not submitted yet."""
    if not _own_assignment(user, assignment):
        return False
    if assignment.status == AssignmentStatus.INVITED:
        return True
    return assignment.status == AssignmentStatus.ACCEPTED and not _review_submitted(assignment)


def _review_submitted(assignment: Assignment) -> bool:
    review = getattr(assignment, "review", None) if assignment.pk else None
    return review is not None and review.status == ReviewStatus.SUBMITTED


def review_refusal(user: Any, assignment: Assignment) -> str:
    """Why the user may not write this review now ("" when they may). Conflicts are checked
    by the review service (they need the database)."""
    if not _own_assignment(user, assignment):
        return _("Only the expert of this assignment may write its review.")
    if assignment.status != AssignmentStatus.ACCEPTED:
        return _("Accept the invitation before you write the review.")
    if not has_current_agreement(assignment.expert):
        return _("Accept the confidentiality agreement before you read or review a file.")
    if _review_submitted(assignment):
        return _("Your review was submitted: it can no longer be changed.")
    if assignment.request.status != RequestStatus.UNDER_REVIEW:
        return _("The review round of this file is over.")
    return ""


def can_write_review(user: Any, assignment: Assignment) -> bool:
    return review_refusal(user, assignment) == ""


def can_view_own_review(user: Any, assignment: Assignment) -> bool:
    return (
        _own_assignment(user, assignment)
        and assignment.status == AssignmentStatus.ACCEPTED
        and has_current_agreement(assignment.expert)
    )


def can_view_other_reviews(user: Any, assignment: Assignment) -> bool:
    """Another expert's review of the same file: only once one's own is submitted."""
    return can_view_own_review(user, assignment) and _review_submitted(assignment)


def can_view_committee(user: Any, session: LabellingSession) -> bool:
    """The committee's page of a session: staff and the session's committee members."""
    if is_staff(user):
        return True
    return (
        is_authenticated(user)
        and CommitteeMember.objects.filter(session=session, user_id=user.pk).exists()
    )
