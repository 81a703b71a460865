import datetime
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry


@pytest.mark.django_db
def test_login_page_and_successful_login(client, pk):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "pk", "password": "Rahasia-Panjang-1"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("clients:list")  # a Kanwil account's leads to its recap


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_out(client, pk, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "pk", "password": "salah-salah-salah"})
    response = client.post(reverse("login"), {"username": "pk", "password": "Rahasia-Panjang-1"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()


@pytest.mark.django_db
def test_sessions_expire_after_idle_time_and_are_renewed_at_most_once_a_minute(client, django_user_model):
    from django.contrib.sessions.models import Session

    assert django_settings.SESSION_COOKIE_AGE <= 60 * 60
    user = django_user_model.objects.create_user(username="idle", password="Rahasia-Panjang-1")
    client.force_login(user)
    client.get(reverse("bapas:notifications"))
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    client.get(reverse("bapas:notifications"))
    assert Session.objects.get(session_key=key).expire_date == first  # within the minute: no write
    session = client.session
    session["renewed_at"] -= 61
    session.save()
    saved = Session.objects.get(session_key=key).expire_date
    client.get(reverse("bapas:notifications"))
    assert Session.objects.get(session_key=key).expire_date > saved  # a minute later: renewed
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("bapas:notifications")).status_code == 302  # idle too long: signed out


@pytest.mark.django_db
def test_the_page_script_asks_whether_the_session_lasts_and_the_question_renews_it(client, django_user_model):
    """bapas:session_ping: 204 while signed in (also before a forced password change), renewing the
    session as any page does; the login page once it has ended."""
    from django.contrib.sessions.models import Session

    user = django_user_model.objects.create_user(username="ping", password="Rahasia-Panjang-1", must_change_password=True)
    client.force_login(user)
    url = reverse("bapas:session_ping")
    response = client.get(url)
    assert response.status_code == 204 and "no-cache" in response["Cache-Control"]
    session = client.session
    session["renewed_at"] -= 61
    session.save()
    key = session.session_key
    saved = Session.objects.get(session_key=key).expire_date
    assert client.get(url).status_code == 204
    assert Session.objects.get(session_key=key).expire_date > saved
    page = client.get(reverse("bapas:today"))
    assert 'data-ping="/akun/sesi/"' in client.get(reverse("bapas:password_change")).content.decode() and page.status_code == 302
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678901", "password123", "pendek"]:
        with pytest.raises(ValidationError):
            validate_password(weak)


@pytest.mark.django_db
def test_language_switch_is_kept_on_the_user(login, pk):
    client = login(pk)
    assert "Klien saya" in client.get(reverse("clients:list")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("clients:list")})
    assert response.status_code == 302 and response["Location"] == reverse("clients:list")
    pk.refresh_from_db()
    assert pk.language == "en"
    page = client.get(reverse("clients:list")).content.decode()
    assert "My clients" in page and 'lang="en"' in page


@pytest.mark.django_db
def test_language_switch_refuses_foreign_redirects(login, pk):
    response = login(pk).post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_pages_are_in_bahasa_indonesia_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert 'lang="id"' in page and "Masuk" in page


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "bapas.settings.prod",
        "SECRET_KEY": "a-very-long-random-secret-key-for-the-deploy-check-0123456789abcdef",
        "ALLOWED_HOSTS": "bapas.example.go.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    from django.core.management import call_command

    from assessments.models import Assessment
    from bapas.models import User
    from clients.models import Client, Supervision

    call_command("seed_demo")
    counts = Client.objects.count(), User.objects.count(), Assessment.objects.count()
    call_command("seed_demo")
    assert (Client.objects.count(), User.objects.count(), Assessment.objects.count()) == counts
    clients = counts[0]
    active = Supervision.objects.filter(closed_on__isnull=True)
    assert active.exclude(risk_level="").count() > active.count() // 2
    assert not active.filter(assessment_due__isnull=True).exists()
    assert clients >= 200
    assert set(User.objects.values_list("username", flat=True)) >= {
        "demo.pk", "demo.pk2", "demo.supervisor", "demo.head", "demo.admin", "demo.pk.other"}
    assert User.objects.get(username="demo.pk.other").office.code == "MKS"
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_someone_chooses(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page and "Masuk ke sistem" in page
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert 'lang="en"' in client.get(reverse("login")).content.decode()
