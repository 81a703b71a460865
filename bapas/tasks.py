import logging

from celery import shared_task
from django.db import transaction

from . import jobs

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), max_retries=3, retry_backoff=True, time_limit=30 * 60)
def run_periodic_job(name: str) -> dict:
    return jobs.run_job(name).counts


def enqueue_after_commit(task, *args) -> None:
    """Publishes a task once the request's transaction has committed. If the broker is down the
    request still succeeds: publishing is bounded (short connection timeout, two quick retries),
    the failure is logged, and the work is not lost because every job derives what to do from the
    database — the next scheduled run does it."""

    def publish():
        try:
            task.apply_async(args=args)
        except Exception:  # kombu raises OperationalError and friends; none of them may break the page
            logger.warning("could not enqueue %s%s; the next scheduled run will catch up", task.name, args, exc_info=True)

    transaction.on_commit(publish)
