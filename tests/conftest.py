"""Standing cast for every test: an office with officers of each role, a second office with
its own PK (the outsider), and a client in the first PK's caseload."""

import os
import shutil
import time

import pytest
from django.conf import settings

from bapas.models import Role

from .factories import OfficeFactory, SupervisionFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("BAPAS_REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    if REQUIRE_SERVICES:
        if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
            raise pytest.UsageError("BAPAS_REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL")
        if not os.environ.get("REDIS_URL", "").startswith("redis"):
            raise pytest.UsageError("BAPAS_REQUIRE_SERVICES=1 but REDIS_URL is not set")


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL or install it"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL or install redis-server"))


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    yield
    shutil.rmtree(tmp_path / "private", ignore_errors=True)


@pytest.fixture
def office(db):
    return OfficeFactory(code="PLG", name="Bapas Kelas I Palembang")


@pytest.fixture
def other_office(db):
    return OfficeFactory(code="MKS", name="Bapas Kelas I Makassar", time_zone="Asia/Makassar")


@pytest.fixture
def pk(office):
    return UserFactory(username="pk", office=office, role=Role.PK)


@pytest.fixture
def pk2(office):
    """A same-office colleague PK: not assigned, so the client is outside their scope."""
    return UserFactory(username="pk2", office=office, role=Role.PK)


@pytest.fixture
def supervisor(office):
    return UserFactory(username="kasi", office=office, role=Role.SUPERVISOR)


@pytest.fixture
def head(office):
    return UserFactory(username="kabapas", office=office, role=Role.HEAD)


@pytest.fixture
def admin_user(office):
    return UserFactory(username="admin", office=office, role=Role.ADMIN)


@pytest.fixture
def outsider(other_office):
    return UserFactory(username="pk.lain", office=other_office, role=Role.PK)


@pytest.fixture
def outsider_supervisor(other_office):
    return UserFactory(username="kasi.lain", office=other_office, role=Role.SUPERVISOR)


@pytest.fixture
def supervision(pk):
    return SupervisionFactory(client__office=pk.office, officer=pk)


@pytest.fixture
def client_record(supervision):
    return supervision.client


def opened(client, url) -> dict:
    """What a record's edit form carries as it is opened: its fingerprint (bapas.concurrency), to post with the changes."""
    return {"fingerprint": client.get(url).context["form"]["fingerprint"].value()}


@pytest.fixture
def login(client):
    """Signs a user in on the test client; returns the client."""

    def _login(user):
        client.force_login(user)
        # As if a page had just been loaded: the session is not renewed on the next request, so
        # query-count tests measure the page alone (the renewal has its own test).
        session = client.session
        session["renewed_at"] = int(time.time())
        session.save()
        return client

    return _login
