import json

from django.core.management.base import BaseCommand

from bapas.reminders import sweep


class Command(BaseCommand):
    help = "Runs the reminder sweep now (what the daily job runs) and prints the counts as JSON."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(sweep()))
