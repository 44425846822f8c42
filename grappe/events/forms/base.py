"""The building blocks of the event forms: a plain form with a model's fields, and times in
the event's own time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, ClassVar

from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone

from grappe.backoffice.forms import DateInput


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if isinstance(field, models.DateTimeField):
        kwargs.setdefault("widget", DateTimeLocalInput())
    elif isinstance(field, models.DateField):
        kwargs.setdefault("widget", DateInput())
    if isinstance(field, models.TextField):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
    return field.formfield(**kwargs)


class ModelFieldsForm(forms.Form):
    """A plain form with the model's fields `model_fields`, filled from `instance`."""

    model: ClassVar[type[models.Model]]
    model_fields: ClassVar[list[str]]

    def __init__(self, *args: Any, instance: models.Model | None = None, **kwargs: Any) -> None:
        self.instance = instance
        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            initial = {**model_to_dict(instance, fields=self.model_fields), **initial}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        callback: Any = _formfield
        generated = fields_for_model(
            self.model, fields=self.model_fields, formfield_callback=callback
        )
        ordered: dict[str, forms.Field] = {}
        for name in self.model_fields:
            field = self.fields.get(name) or generated.get(name)
            if field is not None:
                ordered[name] = field
        ordered.update({k: v for k, v in self.fields.items() if k not in ordered})
        self.fields = ordered

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.model_fields if name in self.fields}


class ZonedMixin:
    """Times are typed and shown in the event's own time zone (a mission to Tokyo)."""

    zoned: ClassVar[tuple[str, ...]] = ()
    initial: Any
    cleaned_data: Any

    def show_in_zone(self, zone_name: str) -> None:
        zone = _zone(zone_name) or timezone.get_current_timezone()
        for name in self.zoned:
            value = self.initial.get(name)
            if isinstance(value, dt.datetime) and timezone.is_aware(value):
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def read_in_zone(self, zone_name: str) -> None:
        zone = _zone(zone_name)
        if zone is None:
            return
        for name in self.zoned:
            value = self.cleaned_data.get(name)
            if isinstance(value, dt.datetime):
                wall = timezone.localtime(value).replace(tzinfo=None)
                self.cleaned_data[name] = timezone.make_aware(wall, zone)


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]
