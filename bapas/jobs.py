"""Scheduled jobs. Each app registers its own in AppConfig.ready(); bapas never imports them.
Schedules are code, copied into django-celery-beat's tables after every migrate."""

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger(__name__)

JOB_TASK = "bapas.tasks.run_periodic_job"
SCHEDULE_TIME_ZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: Callable[[], dict]
    hour: str
    minute: str
    description: str


_jobs: dict[str, PeriodicJob] = {}


def periodic_job(name: str, *, hour="1", minute="0", description=""):
    """Registers a function that returns a dict of counts as a job that beat runs on a crontab."""

    def register(func):
        _jobs[name] = PeriodicJob(name, func, str(hour), str(minute), description or (func.__doc__ or "").strip())
        return func

    return register


def registered_jobs() -> dict[str, PeriodicJob]:
    return dict(_jobs)


def run_job(name: str) -> JobRun:
    job = _jobs[name]
    run = JobRun.objects.create(name=name, started_at=timezone.now())
    began = time.monotonic()
    try:
        with transaction.atomic():
            counts = job.func() or {}
    except Exception as error:
        run.ok, run.error = False, repr(error)
        logger.exception("job %s failed", name)
        raise
    else:
        run.ok, run.counts = True, counts
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["ok", "counts", "error", "finished_at"])
        logger.info("job %s finished in %.2fs: %s", name, time.monotonic() - began, run.counts or run.error)
    return run


def sync_schedules(**kwargs) -> None:
    """Writes every registered job into django-celery-beat, so the database scheduler runs it."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for job in _jobs.values():
        schedule, _created = CrontabSchedule.objects.get_or_create(
            minute=job.minute, hour=job.hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone=SCHEDULE_TIME_ZONE,
        )
        PeriodicTask.objects.update_or_create(
            name=job.name,
            defaults={"task": JOB_TASK, "crontab": schedule, "interval": None, "args": json.dumps([job.name]),
                      "description": job.description, "enabled": True},
        )
