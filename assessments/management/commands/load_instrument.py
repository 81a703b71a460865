from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.definitions import DefinitionError, load_definition, read_definition_file


class Command(BaseCommand):
    help = "Loads an instrument definition file (JSON or YAML) as a version; prints created, unchanged or updated."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            version, outcome = load_definition(read_definition_file(file), source_file=Path(file).name)
        except (DefinitionError, OSError) as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(f"{version}: {outcome}")
