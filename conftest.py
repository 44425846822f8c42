"""The usual people of Grappe's tests: visitor, registered, member, org_admin, other_member,
staff and expert, each with a login whose e-mail address is verified."""

from __future__ import annotations

import os

import pytest

from grappe.members.models import AffiliationRole
from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

# Playwright's sync API keeps an event loop running in the main thread for the rest of the
# session once a browser test has run; the tests after it use the ORM in that same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _default_language_after():
    """A test-client request in English leaves English active in the test's thread; a later
    test calling a service directly would then write English text (labels, mails)."""
    yield
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GRAPPE_PRIVATE_ROOT = tmp_path / "private"


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _shipped_taxonomy(request):
    """The competence taxonomy ships as data (a data migration loads it). Transactional tests
    (the browser's live server) flush every table when they end; reload it for whoever runs next."""
    names = set(request.fixturenames)
    if not (names & DB_FIXTURES or request.node.get_closest_marker("django_db")):
        return
    transactional = bool(names & {"transactional_db", "live_server"})
    request.getfixturevalue("transactional_db" if transactional else "db")
    from grappe.demo.tests.support import ensure_shipped_data

    ensure_shipped_data()


def _person_user(**user_kwargs):
    user = UserFactory(**user_kwargs)
    person = PersonFactory(
        user=user, email=user.email, first_name=user.first_name, last_name=user.last_name
    )
    return user, person


@pytest.fixture
def visitor(client):
    """An anonymous visitor (the test client, logged out)."""
    return client


@pytest.fixture
def registered(db):
    user, _person = _person_user()
    return user


@pytest.fixture
def member_org(db):
    organisation = OrganisationFactory(name="Lumière Marseille", slug="lumiere-marseille")
    MembershipFactory(organisation=organisation)
    return organisation


@pytest.fixture
def member(member_org):
    """A contact (not administrator) of an organisation with an active membership."""
    user, person = _person_user()
    AffiliationFactory(person=person, organisation=member_org, role=AffiliationRole.TECHNICAL)
    return user


@pytest.fixture
def org_admin(member_org):
    """An administrator of the member organisation."""
    user, person = _person_user()
    AffiliationFactory(
        person=person, organisation=member_org, is_admin=True, role=AffiliationRole.EXECUTIVE
    )
    return user


@pytest.fixture
def other_member(db):
    organisation = OrganisationFactory(name="Optique Toulouse", slug="optique-toulouse")
    MembershipFactory(organisation=organisation)
    user, person = _person_user()
    AffiliationFactory(person=person, organisation=organisation, is_admin=True)
    return user


@pytest.fixture
def staff(db):
    """A staff member who has enrolled a second factor (TOTP)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user, _person = _person_user(is_staff=True)
    user.totp_secret = generate_totp_secret()  # kept for tests that log in through the form
    TOTP.activate(user, user.totp_secret)
    return user


@pytest.fixture
def expert(db):
    user, _person = _person_user(is_expert=True)
    return user


@pytest.fixture
def login(client):
    """Log a user in with the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
