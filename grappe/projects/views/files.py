"""The consortium's pages: my files, a new file, the file's page, editing the draft
(partners, contacts, documents, exclusions), submitting, withdrawing, the submission to the
funder, the funding outcome and resubmission."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.members.selectors import member_organisations, user_organisations
from grappe.projects import permissions, workflow
from grappe.projects.forms import (
    ContactForm,
    DecideForm,
    DocumentForm,
    ExclusionForm,
    FunderForm,
    OutcomeForm,
    PartnerForm,
    PoolSearchForm,
    ReasonForm,
    RequestCreateForm,
    RequestForm,
    ResubmitForm,
    RevokeForm,
    apply_errors,
)
from grappe.projects.models import (
    ExpertExclusion,
    LabellingRequest,
    Partner,
    ProjectContact,
    ProjectDocument,
    RequestStatus,
)
from grappe.projects.selectors.files import (
    expert_pool,
    open_sessions,
    request_page,
    requests_of_contact,
)
from grappe.projects.services import documents as document_services
from grappe.projects.services import files as file_services
from grappe.projects.services import workflow as workflow_services
from grappe.projects.views.file_helpers import login_first, refused, viewable_request

S = RequestStatus


def _detail(file: LabellingRequest) -> HttpResponse:
    return redirect("projects:request", pk=file.pk)


def _editable(request: HttpRequest, pk: int) -> LabellingRequest:
    """The file, for an edit: 404 if the viewer may not see it, 403 with the reason if they
    may not edit it."""
    file = viewable_request(request, pk)
    refusal = permissions.edit_refusal(request.user, file)
    if refusal:
        raise PermissionDenied(refusal)
    return file


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


def _partner_form_page(
    request: HttpRequest, file: LabellingRequest, partner: Partner | None
) -> HttpResponse:
    organisations = file_services.partner_organisations(request.user)
    initial = (
        {name: getattr(partner, name) for name in file_services.PARTNER_FIELDS} if partner else {}
    )
    form = PartnerForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            file_services.partner_save(actor=request.user, request=file, data=data, partner=partner)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The consortium is saved."))
            return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#partners")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/partner_form.html",
        {"file": file, "form": form, "partner": partner},
        status=status,
    )


@login_first
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _partner_form_page(request, _editable(request, pk), None)


@login_first
def partner_edit(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    file = _editable(request, pk)
    partner = get_object_or_404(Partner, pk=partner_pk, request=file)
    return _partner_form_page(request, file, partner)


@login_first
@require_POST
def partner_remove(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    file = _editable(request, pk)
    partner = get_object_or_404(Partner, pk=partner_pk, request=file)
    try:
        file_services.partner_remove(actor=request.user, request=file, partner=partner)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(partner)s is removed.") % {"partner": partner.name})
    return _detail(file)


@login_first
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = viewable_request(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            file_services.contact_add(
                actor=request.user, request=file, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The contact is added and informed by e-mail."))
    else:
        messages.error(request, _("Give a valid e-mail address."))
    return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#contacts")


@login_first
@require_POST
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    file = viewable_request(request, pk)
    contact = get_object_or_404(ProjectContact, pk=contact_pk, request=file)
    try:
        file_services.contact_remove(actor=request.user, request=file, contact=contact)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The contact is removed."))
    if contact.user_id == request.user.pk and not permissions.can_view_request(request.user, file):
        return redirect("projects:mine")
    return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#contacts")


@login_first
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = _editable(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_services.document_add(
                actor=request.user,
                request=file,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The document is attached."))
            return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#documents")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/document_form.html", {"file": file, "form": form}, status=status
    )


@login_first
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponseBase:
    """Confidential: only the file's contacts, staff and its cleared experts."""
    file = viewable_request(request, pk)
    document = get_object_or_404(ProjectDocument, pk=document_pk, request=file)
    if not permissions.can_download_document(request.user, document):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = f"{file.project.acronym}-{document.get_kind_display()}-{document.pk}.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_first
@require_POST
def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    file = _editable(request, pk)
    document = get_object_or_404(ProjectDocument, pk=document_pk, request=file)
    document_services.document_remove(actor=request.user, request=file, document=document)
    messages.success(request, _("The document is removed."))
    return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#documents")


@login_first
def exclusion_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose an expert of the pool to exclude, found by name or employer."""
    file = _editable(request, pk)
    search = PoolSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    pool = expert_pool(query)
    form = ExclusionForm(request.POST or None, pool=pool)
    if request.method == "POST" and form.is_valid():
        try:
            document_services.exclusion_add(
                actor=request.user,
                request=file,
                expert=form.cleaned_data["expert"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The expert is excluded from your file."))
            return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#exclusions")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/exclusion_form.html",
        {"file": file, "form": form, "search": search, "query": query},
        status=status,
    )


@login_first
@require_POST
def exclusion_remove(request: HttpRequest, pk: int, exclusion_pk: int) -> HttpResponse:
    file = _editable(request, pk)
    exclusion = get_object_or_404(ExpertExclusion, pk=exclusion_pk, request=file)
    document_services.exclusion_remove(actor=request.user, request=file, exclusion=exclusion)
    messages.success(request, _("The exclusion is removed."))
    return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#exclusions")


@login_first
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what stops the submission (every broken rule), then submit."""
    file = _editable(request, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            workflow_services.request_submit(actor=request.user, request=file)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("The file is submitted: you will be told what follows."))
            return _detail(file)
    else:
        errors = workflow_services.submission_errors(file, timezone.now())
    problems = [message for field_messages in errors.values() for message in field_messages]
    return render(
        request,
        "projects/request_submit.html",
        {"file": file, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


def reason_page(
    request: HttpRequest,
    pk: int,
    *,
    target: str,
    service: Any,
    template: str,
    done: str,
) -> HttpResponse:
    """A move that needs a reason (withdraw, and staff's reopen / inadmissible)."""
    file = viewable_request(request, pk)
    refusal = permissions.transition_refusal(request.user, file, target)
    if refusal:
        return refused(request, refusal)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, request=file, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return _detail(file)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"file": file, "form": form, "target": target}, status=status)


@login_first
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return reason_page(
        request,
        pk,
        target=S.WITHDRAWN,
        service=workflow_services.request_withdraw,
        template="projects/request_withdraw.html",
        done=_("The file is withdrawn."),
    )


@login_first
def request_funder(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the submission to the funder and its reference (contacts or staff)."""
    file = viewable_request(request, pk)
    refusal = permissions.transition_refusal(request.user, file, S.SUBMITTED_TO_FUNDER)
    if refusal:
        return refused(request, refusal)
    form = FunderForm(request.POST or None, initial={"submitted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            workflow_services.request_submitted_to_funder(
                actor=request.user,
                request=file,
                reference=form.cleaned_data["reference"],
                submitted_on=form.cleaned_data["submitted_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The submission to the funder is recorded."))
            return _detail(file)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/funder_form.html", {"file": file, "form": form}, status=status)


@login_first
def request_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Funded (with each partner's aid), not funded or withdrawn (contacts or staff)."""
    file = viewable_request(request, pk)
    refusal = permissions.transition_refusal(request.user, file, S.FUNDED)
    if refusal:
        return refused(request, refusal)
    partners = list(file.partners.order_by("position", "id"))
    form = OutcomeForm(
        request.POST or None, partners=partners, initial={"outcome_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow_services.request_record_outcome(
                actor=request.user,
                request=file,
                outcome=form.cleaned_data["outcome"],
                obtained=form.obtained(),
                outcome_on=form.cleaned_data["outcome_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The funding outcome is recorded."))
            return _detail(file)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/outcome_form.html", {"file": file, "form": form}, status=status
    )


@login_first
def request_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft of the project for another session, copied from this file."""
    file = viewable_request(request, pk)
    if not permissions.can_resubmit_request(request.user, file):
        return refused(
            request,
            _("Only the consortium's contacts may resubmit a file that is no longer in progress."),
        )
    sessions = open_sessions().exclude(requests__project=file.project)
    form = ResubmitForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            new = file_services.request_resubmit(
                actor=request.user, request=file, session=form.cleaned_data["session"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("A new draft is ready: check it, then submit it."))
            return redirect("projects:request", pk=new.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/resubmit_form.html",
        {"file": file, "form": form, "no_session": not sessions.exists()},
        status=status,
    )


@login_first
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from grappe.projects.services.certificates import certificate_pdf as render_pdf

    file = viewable_request(request, pk)
    certificate = getattr(file, "certificate", None)
    if certificate is None:
        raise Http404
    if not permissions.can_view_certificate(request.user, certificate):
        return refused(
            request, _("Only the consortium's contacts or the cluster's staff may do this.")
        )
    language = (getattr(request, "LANGUAGE_CODE", "") or "fr")[:2]
    response = HttpResponse(render_pdf(certificate, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response
