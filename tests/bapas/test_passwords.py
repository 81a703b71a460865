"""Passwords: everyone changes their own; an admin gives a temporary one to a user of their office who
forgot theirs or is locked out; a password an admin chose must be replaced at the next login."""

import pytest
from django.test import Client
from django.urls import reverse

from bapas.models import AuditEntry, Role, User

OLD = "Rahasia-Panjang-1"  # every user made by tests/factories.py has it
NEW = "Bunga-Anggrek-Ungu-77"


def sign_in(user, password) -> Client:
    """A fresh browser signing in through the login form (axes and the password hash both count)."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, f"{user.username} could not sign in"
    return browser


def change_own(client, old=OLD, new=NEW, again=None):
    return client.post(reverse("bapas:password_change"),
                       {"old_password": old, "new_password1": new, "new_password2": again or new})


@pytest.mark.django_db
def test_a_user_changes_their_own_password_and_stays_signed_in(login, pk):
    client = login(pk)
    assert "Ubah kata sandi" in client.get(reverse("bapas:today")).content.decode()  # in the account menu
    response = change_own(client)
    assert response.status_code == 302
    pk.refresh_from_db()
    assert pk.check_password(NEW)
    assert client.get(reverse("clients:list")).status_code == 200  # this session goes on
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor == pk and entry.object_id == str(pk.pk)


@pytest.mark.django_db
def test_changing_ones_password_ends_the_other_sessions(pk):
    elsewhere = sign_in(pk, OLD)
    here = sign_in(pk, OLD)
    assert change_own(here).status_code == 302
    assert elsewhere.get(reverse("clients:list")).status_code == 302  # back to the login page
    assert here.get(reverse("clients:list")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new", "again", "message"), [
    ("salah-salah-salah", NEW, NEW, "Sandi lama Anda yang dimasukkan salah"),
    (OLD, NEW, "Bunga-Anggrek-Ungu-78", "Dua bidang sandi tidak cocok"),
    (OLD, "1234567890", "1234567890", "terlalu umum"),
    (OLD, "pendek-1", "pendek-1", "terlalu pendek"),
])
def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(login, pk, old, new, again, message):
    response = change_own(login(pk), old, new, again)
    assert response.status_code == 200 and message in response.content.decode()
    pk.refresh_from_db()
    assert pk.check_password(OLD) and not AuditEntry.objects.filter(action="user.password_change").exists()


@pytest.mark.django_db
def test_a_new_accounts_first_password_must_be_replaced_at_the_first_login(login, admin_user):
    login(admin_user).post(reverse("bapas:user_create"), {
        "username": "pk.baru", "first_name": "Lina", "role": Role.PK, "password1": NEW, "password2": NEW})
    created = User.objects.get(username="pk.baru")
    assert created.must_change_password
    browser = sign_in(created, NEW)
    for name in ("clients:list", "bapas:today", "programs:programmes"):
        response = browser.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("bapas:password_change")
    page = browser.get(reverse("bapas:password_change")).content.decode()
    assert "Pilih kata sandi Anda sendiri" in page
    # The language switch and signing out still work.
    assert browser.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    created.refresh_from_db()
    assert created.language == "en"
    assert change_own(browser, NEW, "Sungai-Kapuas-Panjang-3").status_code == 302
    created.refresh_from_db()
    assert not created.must_change_password
    assert browser.get(reverse("clients:list")).status_code == 200


@pytest.mark.django_db
def test_sign_out_is_allowed_before_the_temporary_password_is_replaced(pk):
    User.objects.filter(pk=pk.pk).update(must_change_password=True)
    browser = sign_in(pk, OLD)
    response = browser.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert browser.get(reverse("clients:list"))["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_admin_gives_a_locked_out_user_a_temporary_password(login, admin_user, pk, settings):
    open_session = sign_in(pk, OLD)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": pk.username, "password": "salah-salah-salah"})
    assert Client().post(reverse("login"), {"username": pk.username, "password": OLD}).status_code == 429
    admin = login(admin_user)
    assert "terkunci" in admin.get(reverse("bapas:user_list")).content.decode()
    assert "Atur ulang kata sandi" in admin.get(reverse("bapas:user_edit", args=[pk.pk])).content.decode()

    response = admin.post(reverse("bapas:user_password_reset", args=[pk.pk]),
                          {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("bapas:user_edit", args=[pk.pk])
    pk.refresh_from_db()
    assert pk.check_password(NEW) and pk.must_change_password
    entry = AuditEntry.objects.get(action="user.password_reset")
    assert entry.actor == admin_user and entry.object_id == str(pk.pk) and "password" not in str(entry.detail)
    listing = admin.get(reverse("bapas:user_list")).content.decode()
    assert "terkunci" not in listing and "kata sandi sementara" in listing
    assert open_session.get(reverse("clients:list")).status_code == 302  # the old session has ended
    browser = sign_in(pk, NEW)  # the lock is lifted
    assert browser.get(reverse("clients:list"))["Location"] == reverse("bapas:password_change")


@pytest.mark.django_db
def test_a_temporary_password_must_pass_the_same_rules(login, admin_user, pk):
    response = login(admin_user).post(reverse("bapas:user_password_reset", args=[pk.pk]),
                                      {"new_password1": "1234567890", "new_password2": "1234567890"})
    assert response.status_code == 200 and "terlalu umum" in response.content.decode()
    pk.refresh_from_db()
    assert pk.check_password(OLD) and not pk.must_change_password


@pytest.mark.django_db
def test_only_the_admin_of_the_users_office_resets_a_password(login, admin_user, pk, supervisor, head, outsider):
    url = reverse("bapas:user_password_reset", args=[pk.pk])
    for other in (pk, supervisor, head):
        assert login(other).get(url).status_code == 403
    assert login(admin_user).get(reverse("bapas:user_password_reset", args=[outsider.pk])).status_code == 404
    own = login(admin_user).get(reverse("bapas:user_password_reset", args=[admin_user.pk]))
    assert own["Location"] == reverse("bapas:password_change")  # their own goes through the old password
    outsider.refresh_from_db()
    assert outsider.check_password(OLD) and not AuditEntry.objects.filter(action="user.password_reset").exists()


@pytest.mark.django_db
def test_password_pages_need_a_login(client, pk):
    for url in (reverse("bapas:password_change"), reverse("bapas:user_password_reset", args=[pk.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_login_page_says_where_a_forgotten_password_goes(client):
    assert "Minta admin kantor Anda" in client.get(reverse("login")).content.decode()
