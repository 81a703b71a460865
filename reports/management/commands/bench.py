from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from reports import bench


class Command(BaseCommand):
    help = "Measures every key page and job at 1× and 10× data; writes var/bench/latest.json and prints a table."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="the 1× scale (1 ≈ 10,000 clients)")
        parser.add_argument("--factor", type=int, default=10)
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--report-office-size", type=int, default=5000,
                            help="clients in the office whose monthly report is measured")
        parser.add_argument("--no-migrate", action="store_true")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "var" / "bench" / "latest.json"))

    def handle(self, *args, scale, factor, requests, seed, report_office_size, no_migrate, out, **options):
        if not no_migrate:
            call_command("migrate", verbosity=0)
        rows = bench.run(base_scale=scale, factor=factor, requests=requests, seed=seed, out=Path(out),
                         report_office_size=report_office_size,
                         progress=lambda line: self.stderr.write(line))
        self.stdout.write(bench.table(rows))
