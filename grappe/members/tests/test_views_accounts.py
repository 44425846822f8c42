"""allauth's pages render inside the site's layout, in French and in English."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
LAYOUT = ('class="skip-link"', 'class="site-header"', 'class="site-footer"')


def _fresh_login(client, user):
    """Log in with the password, then confirm it again: allauth asks a recent
    re-authentication before the second factor's setup."""
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def _in_layout(response):
    html = response.content.decode()
    assert response.status_code == 200
    for marker in LAYOUT:
        assert marker in html
    assert html.count("<h1>") == 1
    return html


@pytest.mark.parametrize(
    ("url", "french", "english"),
    [
        ("/accounts/login/", "Connexion", "Sign In"),
        ("/accounts/signup/", "Prénom", "First name"),
        ("/accounts/password/reset/", "Réinitialisation du mot de passe", "Password Reset"),
        (
            "/accounts/password/reset/done/",
            "Nous vous avons envoyé un e-mail",
            "We have sent you an email",
        ),
        ("/accounts/confirm-email/", "Vérifiez votre adresse e-mail", "Verify Your Email Address"),
    ],
)
def test_entrance_pages_use_the_site_layout(client, url, french, english):
    assert french in _in_layout(client.get(url))
    assert english in _in_layout(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.parametrize(
    ("url", "french", "english"),
    [
        ("/accounts/email/", "Adresses e-mail", "Email Addresses"),
        ("/accounts/password/change/", "Changer le mot de passe", "Change Password"),
        ("/accounts/2fa/", "Authentification à deux facteurs", "Two-Factor Authentication"),
        ("/accounts/2fa/totp/activate/", "Activer l'application d'authentification", "Activate Authenticator App"),
    ],
)  # fmt: skip
def test_account_pages_use_the_site_layout_with_the_account_menu(
    client, member, url, french, english
):
    _fresh_login(client, member)
    html = _in_layout(client.get(url))
    assert french in html
    assert 'class="account-tabs"' in html
    assert reverse("members:my_profile") in html
    assert english in _in_layout(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))


def test_the_totp_setup_shows_the_qr_code_and_the_secret(client, member):
    html = _fresh_login(client, member).get("/accounts/2fa/totp/activate/").content.decode()
    assert 'class="qr"' in html
    assert 'id="authenticator_secret"' in html
    assert '<label for="id_code">' in html


def test_staff_without_a_second_factor_are_sent_to_its_setup_inside_the_layout(client):
    from grappe.members.tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    response = _fresh_login(client, user).get(reverse("core:dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/"
    _in_layout(response)
