import json
import time

from django.core.management.base import BaseCommand

from reports.dataset import generate


class Command(BaseCommand):
    help = "Builds a synthetic dataset with bulk inserts: --scale 1 ≈ 10,000 clients in 10 offices, 10 ≈ 100,000 in 94."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--office-size", dest="office_size", type=int, help="one office of this many clients instead")

    def handle(self, *args, scale, seed, office_size, **options):
        started = time.monotonic()
        counts = generate(scale=scale, seed=seed, office_size=office_size, progress=lambda line: self.stderr.write(line))
        counts["seconds"] = round(time.monotonic() - started, 1)
        self.stdout.write(json.dumps(counts))
