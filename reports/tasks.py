from celery import shared_task

from bapas.models import User

from .models import MonthlyReport
from .services import generate


@shared_task(acks_late=True, max_retries=2, time_limit=30 * 60)
def generate_monthly_report(report_id: int, user_id: int | None = None) -> int:
    report = MonthlyReport.objects.select_related("office").get(pk=report_id)
    generate(report=report, by=User.objects.filter(pk=user_id).first())
    return report_id
