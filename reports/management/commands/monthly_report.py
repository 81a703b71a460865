import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bapas.models import Office
from reports import monthly
from reports.layouts import current_layout
from reports.services import render_formats


class Command(BaseCommand):
    help = "Writes an office's monthly report (the sections of its current layout, as the page does) as xlsx, csv (zip) or pdf."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="office code, e.g. PLG")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", required=True, choices=["xlsx", "csv", "pdf"])
        parser.add_argument("--out", required=True)

    def handle(self, *args, office, month, format, out, **options):
        try:
            month_start = datetime.datetime.strptime(month, "%Y-%m").date()
        except ValueError as error:
            raise CommandError("--month must be YYYY-MM", returncode=2) from error
        found = Office.objects.filter(code=office).first()
        if found is None:
            raise CommandError(f"no office with code {office}", returncode=2)
        sections = monthly.build(found, month_start, current_layout(found.pk).sections)
        Path(out).write_bytes(render_formats(found, month_start, sections, formats=[format])[format])
        self.stdout.write(f"{out}: {len(sections)} sections")
