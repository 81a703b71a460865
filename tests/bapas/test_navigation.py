"""The main menu is rendered once per language and kind of user: each kind must still get its own."""

import pytest
from django.urls import reverse


def _menu(page: str) -> str:
    return page.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>", 1)[0]


@pytest.mark.django_db
def test_each_kind_of_user_and_language_gets_its_own_menu(login, pk, supervisor, admin_user):
    officer_menu = _menu(login(pk).get(reverse("bapas:today")).content.decode())
    assert "Klien saya" in officer_menu and reverse("clients:create") in officer_menu
    assert reverse("reports:monthly") not in officer_menu and reverse("bapas:settings") not in officer_menu

    supervisor_menu = _menu(login(supervisor).get(reverse("bapas:today")).content.decode())
    assert "Klien kantor" in supervisor_menu and reverse("reports:monthly") in supervisor_menu
    assert reverse("reports:recidivism") in supervisor_menu and reverse("bapas:settings") not in supervisor_menu

    admin_menu = _menu(login(admin_user).get(reverse("bapas:today")).content.decode())
    assert reverse("bapas:settings") in admin_menu and reverse("reports:caseload") not in admin_menu

    pk.language = "en"
    pk.save(update_fields=["language"])
    english_menu = _menu(login(pk).get(reverse("bapas:today")).content.decode())
    assert "My clients" in english_menu and "Today" in english_menu and "Klien saya" not in english_menu
    # The Indonesian menu is still served to the others afterwards.
    assert "Klien kantor" in _menu(login(supervisor).get(reverse("bapas:today")).content.decode())


@pytest.mark.django_db
def test_signed_out_pages_have_no_menu(client):
    assert '<ul class="navbar-nav me-auto">' not in client.get(reverse("login")).content.decode()
