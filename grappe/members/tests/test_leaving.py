"""A contact leaves an organisation: the permission, the service, its mail and its pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from grappe.core.models import AuditEntry
from grappe.members.models import Affiliation, AffiliationStatus
from grappe.members.permissions import can_leave_organisation
from grappe.members.services import affiliation_end, affiliation_leave, contact_end
from grappe.members.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@dataclass
class Firm:
    organisation: Any
    anne: Any  # administrator, speaks French
    bob: Any  # administrator, speaks English
    jean: Any  # contact, not administrator


def _person(email: str, first: str, last: str, language: str, **affiliation: Any) -> Any:
    user = UserFactory(email=email, first_name=first, last_name=last)
    person = PersonFactory(
        user=user, email=email, first_name=first, last_name=last, language=language
    )
    AffiliationFactory(person=person, **affiliation)
    return user


@pytest.fixture
def firm(db) -> Firm:
    """Photons du Sud with two administrators (one French-, one English-speaking) and a contact."""
    organisation = OrganisationFactory(name="Photons du Sud", slug="photons-du-sud")
    return Firm(
        organisation=organisation,
        anne=_person(
            "anne@photons.example", "Anne", "Roche", "fr", organisation=organisation, is_admin=True
        ),
        bob=_person(
            "bob@photons.example", "Bob", "Smith", "en", organisation=organisation, is_admin=True
        ),
        jean=_person("jean@photons.example", "Jean", "Dupont", "fr", organisation=organisation),
    )


def _own(user: Any, organisation: Any) -> Affiliation:
    return Affiliation.objects.get(person__user=user, organisation=organisation)


def _leave_entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="affiliation.leave"))


def _by_recipient(mailoutbox: list[Any]) -> dict[str, Any]:
    return {message.to[0]: message for message in mailoutbox}


# can_leave_organisation


def test_a_contact_may_leave_their_current_affiliation(firm):
    assert can_leave_organisation(firm.jean, _own(firm.jean, firm.organisation)) is True


def test_a_contact_may_leave_an_affiliation_that_ends_later(firm):
    # given an affiliation already set to end next month
    affiliation = _own(firm.jean, firm.organisation)
    affiliation.end = timezone.localdate() + dt.timedelta(days=30)
    # then its holder may still leave today
    assert can_leave_organisation(firm.jean, affiliation) is True


@pytest.mark.parametrize(
    ("end", "status"),
    [
        (dt.timedelta(days=0), AffiliationStatus.CONFIRMED),
        (dt.timedelta(days=-1), AffiliationStatus.CONFIRMED),
        (None, AffiliationStatus.PENDING),
        (None, AffiliationStatus.REFUSED),
    ],
    ids=["ends today", "ended", "pending", "refused"],
)
def test_an_affiliation_not_current_cannot_be_left(firm, end, status):
    affiliation = _own(firm.jean, firm.organisation)
    affiliation.status = status
    affiliation.end = None if end is None else timezone.localdate() + end
    assert can_leave_organisation(firm.jean, affiliation) is False


def test_an_affiliation_starting_later_cannot_be_left_yet(firm):
    affiliation = _own(firm.jean, firm.organisation)
    affiliation.start = timezone.localdate() + dt.timedelta(days=1)
    assert can_leave_organisation(firm.jean, affiliation) is False


def test_nobody_may_leave_for_someone_else(firm, staff):
    affiliation = _own(firm.jean, firm.organisation)
    assert can_leave_organisation(firm.anne, affiliation) is False
    assert can_leave_organisation(staff, affiliation) is False
    assert can_leave_organisation(AnonymousUser(), affiliation) is False


# affiliation_leave


def test_a_contact_leaves_and_the_administrators_are_told_each_in_their_language(
    firm, mailoutbox, django_capture_on_commit_callbacks
):
    # given Jean, a contact of Photons du Sud, and its two administrators
    affiliation = _own(firm.jean, firm.organisation)
    today = timezone.localdate()
    # when Jean leaves
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_leave(actor=firm.jean, affiliation=affiliation)
    # then the affiliation ends today, with an audit row
    affiliation.refresh_from_db()
    assert affiliation.end == today
    [entry] = _leave_entries()
    assert (entry.actor, entry.object_id) == (firm.jean, str(affiliation.pk))
    assert entry.changes == {"end": [None, today.isoformat()]}
    # and each administrator is told in their language; Jean receives nothing
    mails = _by_recipient(mailoutbox)
    assert sorted(mails) == ["anne@photons.example", "bob@photons.example"]
    english = mails["bob@photons.example"]
    assert english.subject == "Jean Dupont has left Photons du Sud"
    assert english.body.startswith("Hello Bob,\n")
    assert "Jean Dupont (jean@photons.example) left Photons du Sud on Grappe" in english.body
    assert f"{SITE}/members/organisations/photons-du-sud/contacts/" in english.body
    french = mails["anne@photons.example"]
    # and the French administrator gets it in French
    assert french.subject == "Jean Dupont a quitté Photons du Sud"
    assert french.body.startswith("Bonjour Anne,\n")
    assert f"{SITE}/members/organisations/photons-du-sud/contacts/" in french.body


def test_an_administrator_leaves_while_another_stays(
    firm, mailoutbox, django_capture_on_commit_callbacks
):
    # given Anne, one of the two administrators
    affiliation = _own(firm.anne, firm.organisation)
    # when she leaves
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_leave(actor=firm.anne, affiliation=affiliation)
    # then she has left and only Bob, who stays, is told
    affiliation.refresh_from_db()
    assert affiliation.end == timezone.localdate()
    assert [m.to for m in mailoutbox] == [["bob@photons.example"]]
    assert mailoutbox[0].subject == "Anne Roche has left Photons du Sud"


def test_the_last_administrator_is_refused_and_nothing_changes(
    firm, mailoutbox, django_capture_on_commit_callbacks
):
    # given Bob has stopped being an administrator: Anne is the last one
    Affiliation.objects.filter(pk=_own(firm.bob, firm.organisation).pk).update(is_admin=False)
    affiliation = _own(firm.anne, firm.organisation)
    # when she tries to leave
    with (
        django_capture_on_commit_callbacks(execute=True),
        translation.override("en"),
        pytest.raises(ValidationError) as error,
    ):
        affiliation_leave(actor=firm.anne, affiliation=affiliation)
    # then she is told what to do, and nothing is written or sent
    assert error.value.message_dict == {
        "is_admin": ["Name another administrator of Photons du Sud before leaving."]
    }
    affiliation.refresh_from_db()
    assert affiliation.end is None
    assert _leave_entries() == []
    assert mailoutbox == []


def test_an_administrator_who_left_today_is_not_counted_as_staying(
    firm, mailoutbox, django_capture_on_commit_callbacks
):
    # given Bob left this morning (his affiliation is current until tonight)
    affiliation_leave(actor=firm.bob, affiliation=_own(firm.bob, firm.organisation))
    mailoutbox.clear()
    affiliation = _own(firm.anne, firm.organisation)
    # when Anne tries to leave too
    with (
        django_capture_on_commit_callbacks(execute=True),
        translation.override("en"),
        pytest.raises(ValidationError) as error,
    ):
        affiliation_leave(actor=firm.anne, affiliation=affiliation)
    # then she is the last administrator and stays
    assert error.value.messages == ["Name another administrator of Photons du Sud before leaving."]
    affiliation.refresh_from_db()
    assert affiliation.end is None
    assert len(_leave_entries()) == 1
    assert mailoutbox == []


def test_an_administrator_who_left_today_does_not_let_the_last_one_be_ended_either(firm):
    # given Bob left this morning (his affiliation is current until tonight)
    affiliation_leave(actor=firm.bob, affiliation=_own(firm.bob, firm.organisation))
    anne = _own(firm.anne, firm.organisation)
    # when Anne ends her own contact from the contacts page, or has her end dated next week
    for end in (
        lambda: contact_end(actor=firm.anne, affiliation=anne),
        lambda: affiliation_end(
            actor=firm.anne, affiliation=anne, end=timezone.localdate() + dt.timedelta(days=7)
        ),
    ):
        with translation.override("en"), pytest.raises(ValidationError) as error:
            end()
        # then she is refused: from tomorrow the organisation would have no administrator
        assert error.value.messages == ["An organisation keeps at least one administrator."]
    anne.refresh_from_db()
    assert anne.end is None


@pytest.mark.parametrize("actor", ["anne", "staff"])
def test_nobody_leaves_for_someone_else(firm, staff, actor, mailoutbox):
    # given Jean's affiliation
    affiliation = _own(firm.jean, firm.organisation)
    someone = staff if actor == "staff" else firm.anne
    # when an administrator of the organisation, or staff, uses this service for Jean
    with pytest.raises(PermissionDenied):
        affiliation_leave(actor=someone, affiliation=affiliation)
    # then nothing changes
    affiliation.refresh_from_db()
    assert affiliation.end is None
    assert _leave_entries() == []
    assert mailoutbox == []


def test_an_ended_affiliation_cannot_be_left_again(
    firm, mailoutbox, django_capture_on_commit_callbacks
):
    # given Jean has left
    affiliation = _own(firm.jean, firm.organisation)
    affiliation_leave(actor=firm.jean, affiliation=affiliation)
    mailoutbox.clear()
    # when he tries again
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        affiliation_leave(actor=firm.jean, affiliation=affiliation)
    # then nothing more is written or sent
    assert len(_leave_entries()) == 1
    assert mailoutbox == []


def test_a_stale_copy_of_an_ended_affiliation_cannot_be_left_again(firm):
    # given Jean's page was opened before the affiliation was ended by an administrator
    stale = _own(firm.jean, firm.organisation)
    Affiliation.objects.filter(pk=stale.pk).update(end=timezone.localdate() - dt.timedelta(days=1))
    # when he leaves from that copy, then the stored state decides
    with pytest.raises(PermissionDenied):
        affiliation_leave(actor=firm.jean, affiliation=stale)
    assert _leave_entries() == []


# The page


def _leave_url(affiliation: Affiliation) -> str:
    return reverse("members:affiliation_leave", kwargs={"pk": affiliation.pk})


def test_the_leave_url():
    assert (
        reverse("members:affiliation_leave", kwargs={"pk": 7}) == "/members/affiliations/7/leave/"
    )


@pytest.mark.parametrize(("language", "breadcrumb"), [("en", "My space"), ("fr", "Mon espace")])
def test_the_confirmation_page_names_the_organisation(firm, login, language, breadcrumb):
    # given Jean, logged in
    client = login(firm.jean)
    # when he opens the page to leave Photons du Sud, in `language`
    response = client.get(
        _leave_url(_own(firm.jean, firm.organisation)), HTTP_ACCEPT_LANGUAGE=language
    )
    # then it asks about that organisation, in that language, with a form that works without
    # JavaScript
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert breadcrumb in html
    assert html.count("<h1>") == 1
    assert "Photons du Sud" in html.split("<h1>")[1].split("</h1>")[0]
    assert '<form method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_confirmation_page_in_english_says_what_leaving_means(firm, login):
    response = login(firm.jean).get(
        _leave_url(_own(firm.jean, firm.organisation)), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "<h1>Leave Photons du Sud?</h1>" in html
    assert "you no longer act for Photons du Sud" in html
    assert "what was done for Photons du Sud stays" in html
    assert "you can ask to join it again later" in html
    # a plain contact is not told about administrators
    assert "name another administrator" not in html


def test_the_confirmation_page_of_an_administrator_points_to_the_contacts(firm, login):
    response = login(firm.anne).get(
        _leave_url(_own(firm.anne, firm.organisation)), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    contacts = reverse("members:organisation_contacts", kwargs={"slug": "photons-du-sud"})
    assert f'<a href="{contacts}">name another administrator</a>' in html


def test_leaving_from_the_page_goes_back_to_my_space_with_a_message(firm, login):
    # given Jean on the page
    client = login(firm.jean)
    affiliation = _own(firm.jean, firm.organisation)
    # when he confirms
    response = client.post(_leave_url(affiliation), HTTP_ACCEPT_LANGUAGE="en")
    # then he has left and is back in his space, told so
    assert (response.status_code, response["Location"]) == (302, reverse("core:dashboard"))
    affiliation.refresh_from_db()
    assert affiliation.end == timezone.localdate()
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert [str(m) for m in page.context["messages"]] == ["You have left Photons du Sud."]


def test_the_last_administrator_is_told_on_the_page_what_to_do(firm, login):
    # given Anne is the last administrator
    Affiliation.objects.filter(pk=_own(firm.bob, firm.organisation).pk).update(is_admin=False)
    affiliation = _own(firm.anne, firm.organisation)
    client = login(firm.anne)
    # when she confirms
    response = client.post(_leave_url(affiliation), HTTP_ACCEPT_LANGUAGE="en")
    # then she is back on the page with the reason, and stays
    assert (response.status_code, response["Location"]) == (302, _leave_url(affiliation))
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert [str(m) for m in page.context["messages"]] == [
        "Name another administrator of Photons du Sud before leaving."
    ]
    affiliation.refresh_from_db()
    assert affiliation.end is None


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["anne", "registered", "staff"])
def test_someone_elses_affiliation_is_not_found(firm, login, request, method, who):
    # given Jean's affiliation, and someone else logged in (his administrator, a newcomer, staff)
    affiliation = _own(firm.jean, firm.organisation)
    user = firm.anne if who == "anne" else request.getfixturevalue(who)
    # when they open or post its page
    response = getattr(login(user), method)(_leave_url(affiliation))
    # then it does not exist for them, and nothing changes
    assert response.status_code == 404
    affiliation.refresh_from_db()
    assert affiliation.end is None


def test_a_visitor_is_sent_to_log_in(firm, client):
    url = _leave_url(_own(firm.jean, firm.organisation))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_ended_affiliation_sends_back_to_my_space(firm, login, method):
    # given Jean's affiliation ended yesterday
    affiliation = _own(firm.jean, firm.organisation)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Affiliation.objects.filter(pk=affiliation.pk).update(end=yesterday)
    client = login(firm.jean)
    # when he opens or posts its page
    response = getattr(client, method)(_leave_url(affiliation), HTTP_ACCEPT_LANGUAGE="en")
    # then he is sent back to his space, told why, and nothing changes
    assert (response.status_code, response["Location"]) == (302, reverse("core:dashboard"))
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert [str(m) for m in page.context["messages"]] == [
        "You are not a current contact of Photons du Sud."
    ]
    affiliation.refresh_from_db()
    assert affiliation.end == yesterday
    assert _leave_entries() == []


# Where the link is


def test_my_space_links_to_leaving_each_organisation(firm, login):
    # given Jean, contact of Photons du Sud
    affiliation = _own(firm.jean, firm.organisation)
    # when he opens his space
    html = login(firm.jean).get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    # then the organisation's card links to leaving it, named for screen readers
    expected = (
        f'<a href="{_leave_url(affiliation)}">Leave this organisation'
        '<span class="visually-hidden"> — Photons du Sud</span></a>'
    )
    assert expected in html.content.decode()


def test_my_space_after_leaving_shows_the_end_and_no_link(firm, login):
    # given Jean left today (he is a contact until tonight)
    affiliation = _own(firm.jean, firm.organisation)
    affiliation_leave(actor=firm.jean, affiliation=affiliation)
    # when he opens his space
    response = login(firm.jean).get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    # then the card says until when, and offers no more leaving
    html = response.content.decode()
    [entry] = response.context["organisations"]
    assert entry["can_leave"] is False
    assert _leave_url(affiliation) not in html
    with translation.override("en"):
        until = date_format(timezone.localdate(), "DATE_FORMAT")
    assert f"Contact until {until}." in html


def test_the_contacts_page_links_an_administrator_to_leaving(firm, login):
    # given Anne, administrator, on her organisation's contacts page
    response = login(firm.anne).get(
        reverse("members:organisation_contacts", kwargs={"slug": "photons-du-sud"}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    # then her own row leads to the page to leave; the others' rows end their contact
    assert _leave_url(_own(firm.anne, firm.organisation)) in html
    assert _leave_url(_own(firm.jean, firm.organisation)) not in html
    jean = _own(firm.jean, firm.organisation)
    end = reverse("members:contact_end", kwargs={"slug": "photons-du-sud", "pk": jean.pk})
    assert end in html
    anne = _own(firm.anne, firm.organisation)
    assert (
        reverse("members:contact_end", kwargs={"slug": "photons-du-sud", "pk": anne.pk}) not in html
    )
