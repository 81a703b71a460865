import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bapas.demo import seeders

DEFAULT_DEMO_PASSWORD = "Bapas-Demo-2026!"


class Command(BaseCommand):
    help = "Loads the demo offices, users, clients and their history. Safe to run again."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("DEMO_PASSWORD: " + " ".join(error.messages)) from error
        with transaction.atomic():
            for name, seed in seeders():
                counts = seed(password=password)
                self.stdout.write(f"{name}: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
