"""People: staff see everyone; members see the people of member organisations who agreed to
be listed in the directory (name, job title, organisation); anyone else is refused."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from grappe.api import selectors
from grappe.api.auth import AUTHENTICATED
from grappe.api.errors import ErrorOut
from grappe.api.pagination import PageOut, PageQuery, paginate
from grappe.api.permissions import can_list_people
from grappe.core.permissions import is_staff, require
from grappe.members.models import Person

router = Router(tags=["people"], auth=AUTHENTICATED)


class AffiliationOut(Schema):
    organisation_slug: str
    organisation_name: str
    role: str
    role_label: str
    is_admin: bool | None = None


class PersonOut(Schema):
    """Staff also get `email`, `phone`, `language` and who administers what."""

    id: int
    first_name: str
    last_name: str
    name: str
    job_title: str
    organisations: list[AffiliationOut]
    email: str | None = None
    phone: str | None = None
    language: str | None = None


class PeopleFilters(PageQuery):
    q: str = Field("", description="Words of the name (staff: also of the e-mail).")
    organisation: str = Field("", description="Slug of a current organisation.")


class PersonPage(PageOut):
    items: list[PersonOut]


def person_out(person: Person, *, staff: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "name": person.full_name,
        "job_title": person.job_title,
        "organisations": [
            {
                "organisation_slug": a.organisation.slug,
                "organisation_name": a.organisation.name,
                "role": a.role,
                "role_label": a.get_role_display(),
                **({"is_admin": a.is_admin} if staff else {}),
            }
            for a in person.current_affiliations  # type: ignore[attr-defined]
        ],
    }
    if staff:
        data.update(email=person.email, phone=person.phone, language=person.language)
    return data


@router.get(
    "/people",
    response={200: PersonPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    exclude_unset=True,
    summary="People",
)
def people_list(request: HttpRequest, filters: Query[PeopleFilters]) -> dict[str, Any]:
    require(can_list_people(request.user))
    people = selectors.people_filter(
        selectors.people_visible_to(request.user),
        viewer=request.user,
        q=filters.q,
        organisation=filters.organisation,
    )
    result = paginate(people, page=filters.page, per_page=filters.per_page)
    staff = is_staff(request.user)
    result["items"] = [person_out(person, staff=staff) for person in result["items"]]
    return result


@router.get(
    "/people/{int:person_id}",
    response={200: PersonOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    exclude_unset=True,
    summary="One person",
)
def person_detail(request: HttpRequest, person_id: int) -> dict[str, Any]:
    require(can_list_people(request.user))
    person = selectors.people_visible_to(request.user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person_out(person, staff=is_staff(request.user))
