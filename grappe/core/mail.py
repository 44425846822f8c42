"""Mail in the recipient's language, rendered at once and sent by a background task."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string
from django_tasks import task


@task()
def send_email_task(
    *,
    to: list[str],
    subject: str,
    body: str,
    attachments: list[tuple[str, str, dict[str, Any], str]] | None = None,
) -> int:
    """Send one rendered message. Attachments are made here, in the worker, by the function
    named in each (filename, dotted path of a function returning bytes, its kwargs, mimetype)."""
    message = EmailMessage(
        subject=subject, body=body, to=to, from_email=settings.DEFAULT_FROM_EMAIL
    )
    for filename, renderer, kwargs, mimetype in attachments or []:
        message.attach(filename, import_string(renderer)(**kwargs), mimetype)
    return message.send()


def render_mail(template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    with translation.override(language or "fr"):
        context = {
            "CLUSTER_NAME": settings.GRAPPE_CLUSTER_NAME,
            "SITE_URL": settings.GRAPPE_SITE_URL,
            **context,
        }
        subject = render_to_string(f"mail/{template}_subject.txt", context).strip()
        body = render_to_string(f"mail/{template}_body.txt", context)
    return " ".join(subject.split()), body


def mail_after_commit(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    language: str = "fr",
    attachments: list[tuple[str, str, dict[str, Any], str]] | None = None,
) -> None:
    """Render now (in `language`), send once the surrounding transaction has committed."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    subject, body = render_mail(template, context, language)
    transaction.on_commit(
        lambda: send_email_task.enqueue(
            to=recipients, subject=subject, body=body, attachments=attachments or []
        )
    )
