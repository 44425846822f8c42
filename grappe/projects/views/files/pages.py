"""My files, a new file, the file's page and editing the draft."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grappe.members.selectors import member_organisations, user_organisations
from grappe.projects import permissions, workflow
from grappe.projects.forms import (
    ContactForm,
    DecideForm,
    ReasonForm,
    RequestCreateForm,
    RequestForm,
    RevokeForm,
    apply_errors,
)
from grappe.projects.models import LabellingRequest
from grappe.projects.selectors.files import open_sessions, request_page, requests_of_contact
from grappe.projects.services import files as file_services
from grappe.projects.views.file_helpers import login_first, refused, viewable_request
from grappe.projects.views.files.common import S, _detail, _editable


@login_first
def mine(request: HttpRequest) -> HttpResponse:
    """My files, and the sessions open for a new one."""
    files = list(requests_of_contact(request.user))
    return render(
        request,
        "projects/mine.html",
        {
            "files": files,
            "sessions": list(open_sessions()),
            "create_refusal": permissions.create_refusal(request.user),
        },
    )


@login_first
def request_create(request: HttpRequest) -> HttpResponse:
    refusal = permissions.create_refusal(request.user)
    if refusal:
        return refused(request, refusal)
    sessions = open_sessions()
    organisations = user_organisations(request.user).filter(
        pk__in=member_organisations().values("pk")
    )
    initial: dict[str, Any] = {}
    if request.GET.get("session"):
        initial["session"] = sessions.filter(slug=request.GET["session"]).first()
    form = RequestCreateForm(
        request.POST or None, initial=initial, sessions=sessions, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            file = file_services.request_create(
                actor=request.user,
                session=data["session"],
                lead=data["lead"],
                acronym=data["acronym"],
                title=data["title"],
                scheme=data["scheme"],
                stage=data["stage"],
                summary_public=data["summary_public"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The draft is created: complete it, then submit it before the deadline.")
            )
            return redirect("projects:request_edit", pk=file.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/request_create.html",
        {"form": form, "no_session": not sessions.exists()},
        status=status,
    )


def _actions(user: Any, file: LabellingRequest) -> dict[str, bool]:
    """Which moves the viewer may make now, by target status (roles computed once)."""
    roles = permissions.request_roles(user, file)
    allowed: dict[str, bool] = {}
    for target in workflow.targets_from(file.status):
        row = workflow.transition_for(file.status, target)
        allowed[target] = bool(row and row.roles & roles)
    return allowed


@login_first
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's page: what each viewer may see, and the moves they may make."""
    file = viewable_request(request, pk)
    user = request.user
    confidential = permissions.can_view_confidential(user, file)
    consortium = permissions.can_view_exclusions(user, file)
    actions = _actions(user, file)
    decisions = [d for d in workflow.DECISIONS if actions.get(d)]
    certificate = getattr(file, "certificate", None)
    context = {
        "file": file,
        "page": request_page(file, confidential=confidential, contacts=consortium),
        "confidential": confidential,
        "consortium": consortium,
        "can_edit": file.status == S.DRAFT and permissions.is_contact(user, file),
        "can_manage_contacts": permissions.can_manage_contacts(user, file),
        "can_resubmit": permissions.can_resubmit_request(user, file),
        "is_staff": permissions.can_view_all_requests(user),
        "actions": actions,
        "can_decide": bool(decisions),
        "certificate": certificate,
        "can_view_certificate": certificate is not None
        and permissions.can_view_certificate(user, certificate),
        "can_revoke": certificate is not None
        and permissions.can_revoke_certificate(user, certificate),
        "contact_form": ContactForm(),
        "reason_form": ReasonForm(),
        "decide_form": DecideForm(),
        "revoke_form": RevokeForm(),
        "S": S,
    }
    return render(request, "projects/request_detail.html", context)


@login_first
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    file = _editable(request, pk)
    initial = {name: getattr(file, name) for name in file_services.EDITABLE}
    initial["acronym"] = file.project.acronym
    initial["competences"] = list(file.competences.all())
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            file_services.request_update(
                actor=request.user,
                request=file,
                changes={name: data[name] for name in file_services.EDITABLE},
                acronym=data["acronym"],
                competences=list(data["competences"]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The file is saved."))
            return _detail(file)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/request_edit.html", {"file": file, "form": form}, status=status
    )
