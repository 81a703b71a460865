import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from assessments.definitions import shipped_definition
from assessments.engine import ScoringError, score
from assessments.models import InstrumentVersion


def find_definition(code: str, version: str) -> dict:
    """The stored version first; a definition shipped with the app when the database lacks it."""
    try:
        stored = (
            InstrumentVersion.objects.filter(instrument__code=code, version=version).values_list("definition", flat=True).first()
        )
    except DatabaseError:  # no database yet (a paper-form check on a fresh machine)
        stored = None
    definition = stored or shipped_definition(code, version)
    if definition is None:
        raise CommandError(f"instrument {code} version {version} is not loaded", returncode=2)
    return definition


def describe_definition(definition: dict) -> dict:
    return {
        "code": definition["code"],
        "version": definition["version"],
        "items": [
            {
                "code": item["code"], "part": item["part"], "domain": item.get("domain"), "scored": bool(item.get("scored")),
                "text": item["text"],
                "options": [{"code": o["code"], "points": o["points"]} for o in item.get("options") or []],
            }
            for item in definition["items"]
        ],
    }


class Command(BaseCommand):
    help = (
        "Scores one set of answers with a stored instrument version (or the shipped definition of that "
        "version when the database lacks it) and prints the result as JSON. In ANSWERS a number is points, "
        "a string an option code, true/false ticks a checklist item. --describe prints the definition."
    )

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("version")
        parser.add_argument("answers", nargs="?")
        parser.add_argument("--sex", choices=["M", "F", "L", "P"], help="M/L male, F/P female")
        parser.add_argument("--describe", action="store_true")

    def handle(self, *args, code, version, answers, sex, describe: bool, **options):
        definition = find_definition(code, version)
        if describe:
            self.stdout.write(json.dumps(describe_definition(definition), ensure_ascii=False, indent=2))
            return
        if not answers:
            raise CommandError("ANSWERS.json is required unless --describe is given", returncode=2)
        try:
            data = json.loads(Path(answers).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"cannot read {answers}: {error}", returncode=2) from error
        if not isinstance(data, dict):
            raise CommandError("ANSWERS must be a JSON object of item code → answer", returncode=2)
        try:
            result = score(definition, data, sex=sex)
        except ScoringError as error:
            raise CommandError(f"item {error.item}: {error.message}", returncode=2) from error
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
