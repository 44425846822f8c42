"""The file's contacts: adding and removing them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.members.selectors import user_organisations
from grappe.projects import permissions
from grappe.projects.models import LabellingRequest, ProjectContact


def contact_add(*, actor: Any, request: LabellingRequest, email: str) -> ProjectContact:
    """Give a registered person, currently a contact of a partner organisation, access to the
    file (they may then edit the draft)."""
    require(
        permissions.can_manage_contacts(actor, request),
        _("Only the consortium's contacts or the cluster's staff may do this."),
    )
    email = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if not email:
        raise ValidationError({"email": _("Give the person's e-mail address.")})
    if user is None:
        raise ValidationError(
            {"email": _("No registered user has this address: ask them to sign up first.")}
        )
    if ProjectContact.objects.filter(request=request, user=user).exists():
        raise ValidationError({"email": _("This person is already a contact of the file.")})
    partner = (
        request.partners.filter(organisation__in=user_organisations(user))
        .order_by("position", "id")
        .first()
    )
    if partner is None:
        raise ValidationError(
            {
                "email": _(
                    "This person is not a confirmed contact of a partner organisation of the "
                    "consortium."
                )
            }
        )
    with transaction.atomic():
        contact = ProjectContact.objects.create(
            request=request, user=user, partner=partner, added_by=actor
        )
        audit_record(actor=actor, obj=contact, action="contact.add")
        mail_after_commit(
            to=[user.email],
            template="projects_request_contact_added",
            context={"file": request, "added_by": actor, "recipient": user},
            language=getattr(user, "language", "fr") or "fr",
        )
    return contact


def contact_remove(*, actor: Any, request: LabellingRequest, contact: ProjectContact) -> None:
    require(
        permissions.can_manage_contacts(actor, request),
        _("Only the consortium's contacts or the cluster's staff may do this."),
    )
    with transaction.atomic():
        LabellingRequest.objects.select_for_update().get(pk=request.pk)
        if contact.request_id != request.pk:
            raise ValidationError({"contact": _("This person is not a contact of this file.")})
        if ProjectContact.objects.filter(request=request).count() <= 1:
            raise ValidationError({"contact": _("A file keeps at least one contact.")})
        audit_record(actor=actor, obj=contact, action="contact.remove", after={})
        contact.delete()
