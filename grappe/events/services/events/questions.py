"""The questions asked to registrants."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import Event, Question, Registration
from grappe.events.services.events.common import (
    CHOICE_KINDS,
    QUESTION_FIELDS,
    _add,
    _clean,
    _locked_event,
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _answered(question: Question) -> bool:
    return Registration.objects.filter(
        event_id=question.event_id, answers__has_key=str(question.pk)
    ).exists()


def _validate_question(question: Question, errors: dict[str, list[str]]) -> None:
    if question.kind in CHOICE_KINDS:
        values = _lines(question.choices_fr)
        if len(values) < 2:
            _add(errors, "choices_fr", _("Give at least two choices, one per line."))
        elif len(set(values)) != len(values):
            _add(errors, "choices_fr", _("Each choice appears once."))
        labels = _lines(question.choices_en)
        if labels and len(labels) != len(values):
            _add(
                errors,
                "choices_en",
                _("Give as many English choices as French ones, in the same order."),
            )
        question.choices_fr, question.choices_en = "\n".join(values), "\n".join(labels)
    else:
        question.choices_fr = question.choices_en = ""
    if question.pk is None:
        return
    stored = Question.objects.get(pk=question.pk)
    if (stored.kind, stored.choices_fr) != (question.kind, question.choices_fr) and _answered(
        stored
    ):
        _add(
            errors,
            "kind" if stored.kind != question.kind else "choices_fr",
            _("People have answered this question: its kind and French choices stay."),
        )


def _save_question(question: Question, data: dict[str, Any]) -> None:
    for field in QUESTION_FIELDS:
        if field in data:
            setattr(question, field, data[field])
    errors: dict[str, list[str]] = {}
    _validate_question(question, errors)
    _clean(question, errors, exclude=["event"])
    question.save()


def question_create(*, actor: Any, event: Event, data: dict[str, Any]) -> Question:
    require(permissions.can_manage_events(actor, event))
    with transaction.atomic():
        event = _locked_event(event)
        question = Question(event=event)
        _save_question(question, data)
        audit_record(actor=actor, obj=question, action="event.question.create")
    return question


def question_update(*, actor: Any, question: Question, data: dict[str, Any]) -> Question:
    require(permissions.can_manage_events(actor, question.event))
    with transaction.atomic():
        _locked_event(question.event)
        question = Question.objects.select_related("event").get(pk=question.pk)
        before = snapshot(question)
        _save_question(question, data)
        audit_record(actor=actor, obj=question, action="event.question.update", before=before)
    return question


def question_delete(*, actor: Any, question: Question) -> None:
    require(permissions.can_manage_events(actor, question.event))
    with transaction.atomic():
        _locked_event(question.event)
        if _answered(question):
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("People have answered this question: it cannot be removed.")]}
            )
        audit_record(actor=actor, obj=question, action="event.question.delete", after={})
        question.delete()
