import datetime
import json as jsonlib

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bapas.models import Office
from reports import recidivism


class Command(BaseCommand):
    help = "Recidivism rates, Kaplan–Meier points, AUC and calibration of one office as JSON; --cohort-csv writes the cohort."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True)
        parser.add_argument("--json", action="store_true", help="print the statistics as JSON")
        parser.add_argument("--cohort-csv", dest="cohort_csv", help="write the anonymised cohort to this file")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, office, json: bool, cohort_csv, as_of, **options):
        found = Office.objects.filter(code=office).first()
        if found is None:
            raise CommandError(f"no office with code {office}", returncode=2)
        day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
        rows = recidivism.build_cohort(office_id=found.pk, as_of=day)
        if cohort_csv:
            with open(cohort_csv, "w", newline="", encoding="utf-8") as stream:
                recidivism.write_cohort_csv(rows, stream)
        if json or not cohort_csv:
            payload = {"office": found.code, "as_of": day.isoformat(), **recidivism.statistics(rows)}
            self.stdout.write(_dumps(payload))


def _dumps(payload) -> str:
    return jsonlib.dumps(payload, ensure_ascii=False)
