"""The draft's documents (PDF only, checked by content, stored privately) and the experts the
applicant asks to exclude."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record
from grappe.projects.models import (
    DocumentKind,
    ExpertExclusion,
    ExpertProfile,
    LabellingRequest,
    ProjectDocument,
)
from grappe.projects.services.files import _locked_draft
from grappe.projects.storage import document_max_bytes, pdf_problem


def _read_upload(upload: UploadedFile | None) -> bytes:
    """The upload's bytes, refused above the size limit before it is read whole."""
    if upload is None:
        raise ValidationError({"file": _("Choose a PDF file.")})
    limit = document_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s MB at most.")
                % {"size": round(limit / 1024 / 1024, 1)}
            }
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s MB at most.")
                % {"size": round(limit / 1024 / 1024, 1)}
            }
        )
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    return data


def document_add(
    *,
    actor: Any,
    request: LabellingRequest,
    kind: str,
    title: str,
    upload: UploadedFile | None,
) -> ProjectDocument:
    """Attach a PDF to the draft. The content is checked (a real PDF), not the file name."""
    with transaction.atomic():
        request = _locked_draft(actor, request)
        errors: dict[str, str] = {}
        title = (title or "").strip()
        if kind not in DocumentKind.values:
            errors["kind"] = _("Choose the kind of document.")
        if not title:
            errors["title"] = _("Give the document a title.")
        elif len(title) > 200:
            errors["title"] = _("At most %(limit)s characters.") % {"limit": 200}
        if errors:
            raise ValidationError(errors)
        data = _read_upload(upload)
        problem = pdf_problem(data)
        if problem:
            raise ValidationError({"file": problem})
        document = ProjectDocument(
            request=request,
            kind=kind,
            title=title,
            content_type="application/pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        # The file is written first; if the row cannot be written, the file goes too.
        document.file.save("document.pdf", ContentFile(data), save=False)
        try:
            document.save()
            audit_record(actor=actor, obj=document, action="document.add")
        except Exception:
            document.file.delete(save=False)
            raise
    return document


def document_remove(*, actor: Any, request: LabellingRequest, document: ProjectDocument) -> None:
    with transaction.atomic():
        request = _locked_draft(actor, request)
        if document.request_id != request.pk:
            raise ValidationError({"document": _("This document is not in this file.")})
        audit_record(actor=actor, obj=document, action="document.remove", after={})
        storage, name = document.file.storage, document.file.name
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))


def copy_documents(old: LabellingRequest, new: LabellingRequest) -> None:
    """For a resubmission: each document copied to a file of its own."""
    for document in old.documents.all():
        with document.file.open("rb") as handle:
            data = handle.read()
        copy = ProjectDocument(
            request=new,
            kind=document.kind,
            title=document.title,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,
            uploaded_by=document.uploaded_by,
        )
        copy.file.save("document.pdf", ContentFile(data), save=False)
        copy.save()


# --- experts to exclude ----------------------------------------------------------------------


def exclusion_add(
    *, actor: Any, request: LabellingRequest, expert: ExpertProfile, reason: str
) -> ExpertExclusion:
    """The applicant asks that an expert of the pool not review the file, saying why."""
    with transaction.atomic():
        request = _locked_draft(actor, request)
        reason = (reason or "").strip()
        errors: dict[str, str] = {}
        if not expert.is_active:
            errors["expert"] = _("Choose an expert of the pool.")
        elif ExpertExclusion.objects.filter(request=request, expert=expert).exists():
            errors["expert"] = _("This expert is already excluded.")
        if not reason:
            errors["reason"] = _("Say why this expert should not review the file.")
        elif len(reason) > 300:
            errors["reason"] = _("At most %(limit)s characters.") % {"limit": 300}
        if errors:
            raise ValidationError(errors)
        exclusion = ExpertExclusion.objects.create(
            request=request, expert=expert, reason=reason, asked_by=actor
        )
        audit_record(actor=actor, obj=exclusion, action="exclusion.add")
    return exclusion


def exclusion_remove(*, actor: Any, request: LabellingRequest, exclusion: ExpertExclusion) -> None:
    with transaction.atomic():
        request = _locked_draft(actor, request)
        if exclusion.request_id != request.pk:
            raise ValidationError({"exclusion": _("This exclusion is not in this file.")})
        audit_record(actor=actor, obj=exclusion, action="exclusion.remove", after={})
        exclusion.delete()
