"""One error format for every error the API returns, in the request's language:

    {"error": {"code": "not_found", "message": "…", "fields": {"field": ["…"]}}}

`fields` is always present (empty when the error is not about a field)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """What every error response carries."""

    error: ErrorBody


class ApiError(HttpError):
    """An error the API raises itself, with its code and, if any, field errors."""

    def __init__(
        self, status_code: int, code: str, message: str, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(status_code, message)
        self.code = code
        self.fields = fields or {}


def _status_codes() -> dict[int, tuple[str, str]]:
    # Built per call: the messages are translated in the request's language.
    return {
        400: ("bad_request", _("The request could not be carried out.")),
        401: (
            "not_authenticated",
            _("Authentication required: log in, or send a token (Authorization: Bearer <key>)."),
        ),
        403: ("permission_denied", _("You do not have permission to do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        409: ("conflict", _("The request conflicts with the current state of the resource.")),
        422: ("validation_error", _("Some values are not valid: see the fields.")),
        429: ("throttled", _("Too many requests: wait a little and try again.")),
        500: ("server_error", _("Something went wrong on our side; it has been logged.")),
    }


def error_body(
    status: int, *, code: str = "", message: str = "", fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    default_code, default_message = _status_codes().get(status, ("error", ""))
    return {
        "error": {
            "code": code or default_code,
            "message": message or default_message,
            "fields": fields or {},
        }
    }


def error_response(api: NinjaAPI, request: HttpRequest, status: int, **kwargs: Any) -> HttpResponse:
    return api.create_response(request, error_body(status, **kwargs), status=status)


def django_validation_fields(exc: DjangoValidationError) -> tuple[dict[str, list[str]], list[str]]:
    """(field errors, errors not about one field) of a Django ValidationError."""
    if hasattr(exc, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        general = fields.pop(NON_FIELD_ERRORS, [])
        return fields, general
    return {}, [str(m) for m in exc.messages]


def _joined(messages: list[str]) -> str:
    return " ".join(dict.fromkeys(messages))


def conflict_from(exc: DjangoValidationError) -> ApiError:
    """A service's refusal because of the object's current state (409), with its messages."""
    fields, general = django_validation_fields(exc)
    message = _joined(general + [m for messages in fields.values() for m in messages])
    return ApiError(409, "conflict", message, fields)


@contextmanager
def conflict_when(conflict: bool) -> Iterator[None]:
    """Around a service call: when the API already knows that the object's state forbids the
    action, the service's ValidationError becomes a 409 with the service's own message."""
    try:
        yield
    except DjangoValidationError as exc:
        if conflict:
            raise conflict_from(exc) from exc
        raise


# Pydantic's messages are English only; the common ones are said again in the request language.
def _pydantic_message(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "date_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "date_from_datetime_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "date_type": _("Enter a valid date (YYYY-MM-DD)."),
        "datetime_parsing": _("Enter a valid date and time (ISO 8601)."),
        "datetime_from_date_parsing": _("Enter a valid date and time (ISO 8601)."),
        "datetime_type": _("Enter a valid date and time (ISO 8601)."),
        "string_type": _("Enter text."),
        "json_invalid": _("The request body is not valid JSON."),
        "model_attributes_type": _("Send a JSON object."),
        "dict_type": _("Send a JSON object."),
        "list_type": _("Send a list."),
    }
    if kind in messages:
        return messages[kind]
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        bound = next(iter(ctx.values()), "")
        return {
            "greater_than_equal": _("Enter a value greater than or equal to %(limit)s."),
            "greater_than": _("Enter a value greater than %(limit)s."),
            "less_than_equal": _("Enter a value less than or equal to %(limit)s."),
            "less_than": _("Enter a value less than %(limit)s."),
        }[kind] % {"limit": bound}
    if kind == "string_too_long":
        return _("Enter at most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Enter at least %(limit)s characters.") % {"limit": ctx.get("min_length")}
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    return str(error.get("msg", ""))


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("query", "per_page")` → `per_page`; `("body", "payload", "note")` → `note`."""
    parts = [str(part) for part in loc]
    source, rest = (parts[0], parts[1:]) if parts else ("", [])
    if source == "body" and len(rest) > 1:
        rest = rest[1:]  # the name of the body parameter itself says nothing to a client
    return ".".join(rest) or NON_FIELD_ERRORS


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(_pydantic_message(error))
    return fields


def register_error_handlers(api: NinjaAPI) -> None:
    """Every exception an endpoint may raise becomes the one error format."""

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 422, fields=validation_fields(exc.errors))

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, ApiError):
            return error_response(
                api,
                request,
                exc.status_code,
                code=exc.code,
                message=exc.message,
                fields=exc.fields,
            )
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return error_response(
                api, request, 400, message=_("The request body is not valid JSON.")
            )
        return error_response(api, request, exc.status_code)

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        response = error_response(api, request, 401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 404)

    def on_permission_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 403, message=str(exc) or "")

    def on_django_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        fields, general = django_validation_fields(exc)
        message = _joined(general + [m for messages in fields.values() for m in messages])
        return error_response(api, request, 400, code="invalid", message=message, fields=fields)

    def on_integrity(request: HttpRequest, exc: Any) -> HttpResponse:
        # Two requests raced for the same unique row: the loser is told to look again.
        logger.warning("API integrity error: %s", exc)
        return error_response(api, request, 409)

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return error_response(api, request, 500)

    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(IntegrityError, on_integrity)
    api.add_exception_handler(Exception, on_unexpected)
