from celery import shared_task

from .models import ClientImport


@shared_task(acks_late=True, max_retries=2, time_limit=30 * 60, soft_time_limit=29 * 60)
def run_client_import(import_id: int) -> int:
    from .imports import work

    work(ClientImport.objects.select_related("office", "created_by").get(pk=import_id))
    return import_id
