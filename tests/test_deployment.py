"""docker-compose.yml describes the production stack; its commands must point at real code."""

import importlib
import importlib.util
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load(COMPOSE.read_text())["services"]


def _import_target(dotted: str):
    module, _, attr = dotted.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, attr) if attr else loaded


def test_the_stack_has_every_service_with_a_health_check(services):
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


def test_app_services_use_production_settings_and_the_real_brokers(services):
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        # Found, not imported: production settings demand a real SECRET_KEY.
        assert importlib.util.find_spec(environment["DJANGO_SETTINGS_MODULE"]) is not None
        assert environment["DJANGO_SETTINGS_MODULE"] == "bapas.settings.prod"
        assert environment["DATABASE_URL"].startswith("postgres://") and "@db:" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:")


def test_web_runs_gunicorn_on_the_real_wsgi_application(services):
    command = services["web"]["command"]
    target = re.search(r"gunicorn (\S+)", command).group(1)
    assert callable(_import_target(target))
    assert "migrate" in command


def test_worker_and_beat_run_the_real_celery_app_and_scheduler(services):
    from celery import Celery

    for name in ("worker", "beat"):
        command = services[name]["command"]
        app_module = re.search(r"celery -A (\S+)", command).group(1)
        assert isinstance(importlib.import_module(app_module).celery_app, Celery)
    scheduler = re.search(r"--scheduler (\S+)", services["beat"]["command"]).group(1)
    module, _, cls = scheduler.partition(":")
    assert hasattr(importlib.import_module(module), cls)


def test_dockerfile_installs_the_pinned_requirements():
    dockerfile = (Path(settings.BASE_DIR) / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    for line in (Path(settings.BASE_DIR) / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert "==" in line, line
