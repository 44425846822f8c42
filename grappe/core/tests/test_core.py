import os
import subprocess
import sys

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from grappe.core.audit import audit_for, audit_record, snapshot
from grappe.core.models import AuditEntry
from grappe.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_only_changed_fields_with_before_and_after(staff):
    # given an organisation and its snapshot
    organisation = OrganisationFactory(name="Avant", city="Marseille")
    before = snapshot(organisation)
    # when its name changes and the change is recorded
    organisation.name = "Après"
    organisation.save()
    entry = audit_record(actor=staff, obj=organisation, action="organisation.update", before=before)
    # then the entry names who, what and the before/after of the changed field only
    assert entry.actor == staff
    assert entry.action == "organisation.update"
    assert entry.changes == {"name": ["Avant", "Après"]}
    assert list(audit_for(organisation)) == [entry]


def test_staff_read_the_audit_trail_of_an_object(staff, login):
    organisation = OrganisationFactory(name="Trace")
    audit_record(actor=staff, obj=organisation, action="organisation.create")
    url = reverse(
        "core:audit",
        args=[ContentType.objects.get_for_model(organisation).pk, organisation.pk],
    )
    response = login(staff).get(url)
    assert response.status_code == 200
    assert b"organisation.create" in response.content


@pytest.mark.parametrize("role", ["registered", "member", "org_admin", "expert"])
def test_others_cannot_read_the_audit_trail(role, request, login):
    user = request.getfixturevalue(role)
    organisation = OrganisationFactory()
    url = reverse(
        "core:audit", args=[ContentType.objects.get_for_model(organisation).pk, organisation.pk]
    )
    assert login(user).get(url).status_code == 403


def test_visitor_is_asked_to_log_in_before_the_audit_trail(client):
    organisation = OrganisationFactory()
    url = reverse(
        "core:audit", args=[ContentType.objects.get_for_model(organisation).pk, organisation.pk]
    )
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert AuditEntry.objects.count() == 0


def test_staff_without_second_factor_are_sent_to_enrol_it(settings, login):
    # given staff MFA is required and a staff user without TOTP
    from grappe.members.tests.factories import UserFactory

    settings.GRAPPE_STAFF_MFA_REQUIRED = True
    user = UserFactory(is_staff=True)
    # when they open any page but the account pages
    response = login(user).get(reverse("core:dashboard"))
    # then they are redirected to the TOTP enrolment
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # and the enrolment itself stays reachable (allauth first asks for the password again)
    enrol = login(user).get(reverse("mfa_activate_totp"))
    assert enrol.status_code == 302
    assert enrol["Location"].startswith("/accounts/reauthenticate/")


def test_staff_with_second_factor_reach_pages(staff, login):
    assert login(staff).get(reverse("core:dashboard")).status_code == 200


def test_language_switch_without_url_prefix(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert b'<html lang="en">' in page.content
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert b'<html lang="fr">' in client.get("/").content


def test_deploy_check_passes_with_debug_off(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "GRAPPE_TESTING": "0",
        "SECRET_KEY": "k" * 30 + "Xy7!Qw3#Ze9$Rt5%Ui2^Op8&As4*Df6(",
        "ALLOWED_HOSTS": "cluster.example.org",
        "GRAPPE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "grappe.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
