import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clients.demo import demo_password_ok, seed

DEFAULT_DEMO_PASSWORD = "Bapas-Demo-2026!"


class Command(BaseCommand):
    help = "Loads the demo offices, users and clients. Safe to run again."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        try:
            demo_password_ok(password)
        except ValidationError as error:
            raise CommandError("DEMO_PASSWORD: " + " ".join(error.messages)) from error
        counts = seed(password=password)
        self.stdout.write(
            f"Demo data ready: {counts['offices']} offices, {counts['users']} users, "
            f"{counts['clients_created']} new clients."
        )
