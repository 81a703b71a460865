from celery import shared_task

from . import jobs


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), max_retries=3, retry_backoff=True, time_limit=30 * 60)
def run_periodic_job(name: str) -> dict:
    return jobs.run_job(name).counts
