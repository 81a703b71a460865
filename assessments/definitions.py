"""Instrument definitions: checked before anything scores with them, then loaded as versions."""

import hashlib
import json
import logging
from pathlib import Path

import yaml
from django.db import transaction

from .engine import max_points

SHIPPED_DIR = Path(__file__).resolve().parent / "definitions"
REQUIRED_KEYS = ["code", "version", "name", "levels", "parts", "domains", "total_bands", "items"]
# Keys each entry of a list must have, so a malformed file fails here with its entry named
# instead of as a KeyError deep in the engine.
ENTRY_KEYS = {"parts": ["code", "name"], "domains": ["name", "bands"], "items": ["code", "part", "text"]}
SEXES = {"M", "F"}

logger = logging.getLogger(__name__)


class DefinitionError(ValueError):
    pass


def read_definition_file(path) -> dict:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text) if path.suffix in {".yaml", ".yml"} else json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise DefinitionError(f"{path.name}: tidak dapat dibaca ({error})") from error


def content_hash(definition: dict) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def validate_definition(definition: dict) -> None:
    """Raises DefinitionError naming the first problem found."""
    if not isinstance(definition, dict):
        raise DefinitionError("definisi harus berupa objek")
    missing = [key for key in REQUIRED_KEYS if key not in definition]
    if missing:
        raise DefinitionError(f"kunci wajib tidak ada: {', '.join(missing)}")
    _check_entries(definition)
    levels = definition["levels"]
    if not isinstance(levels, list) or not levels or len(set(levels)) != len(levels):
        raise DefinitionError("daftar tingkat (levels) kosong atau berulang")
    parts = {part["code"]: part for part in definition["parts"]}
    domains = {domain["name"]: domain for domain in definition["domains"]}
    _check_items(definition["items"], parts, domains)
    total_max, domain_max = max_points(definition)
    for name, domain in domains.items():
        if domain.get("part") and domain["part"] not in parts:
            raise DefinitionError(f"domain '{name}': bagian '{domain['part']}' tidak dideklarasikan")
        _check_bands(domain.get("bands"), levels, domain_max[name], f"domain '{name}'")
    _check_bands(definition["total_bands"], levels, total_max, "total")


def _check_entries(definition: dict) -> None:
    for key, required in ENTRY_KEYS.items():
        entries = definition[key]
        if not isinstance(entries, list):
            raise DefinitionError(f"'{key}' harus berupa daftar")
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise DefinitionError(f"{key}[{index}] harus berupa objek")
            missing = [name for name in required if name not in entry]
            if missing:
                label = entry.get("code") or entry.get("name") or f"#{index + 1}"
                raise DefinitionError(f"{key} {label}: kunci wajib tidak ada: {', '.join(missing)}")


def _check_items(items: list[dict], parts: dict, domains: dict) -> None:
    seen = set()
    for item in items:
        code = item.get("code")
        if not code:
            raise DefinitionError("ada butir tanpa kode")
        if code in seen:
            raise DefinitionError(f"butir {code}: kode ganda")
        seen.add(code)
        part = parts.get(item.get("part"))
        if part is None:
            raise DefinitionError(f"butir {code}: bagian '{item.get('part')}' tidak dideklarasikan")
        if item.get("domain") and item["domain"] not in domains:
            raise DefinitionError(f"butir {code}: domain '{item['domain']}' tidak dideklarasikan")
        if bool(item.get("scored")) != bool(part.get("scored")):
            raise DefinitionError(f"butir {code}: status berskor tidak sama dengan bagian {part['code']}")
        if item.get("scored"):
            _check_options(code, item.get("options") or [])
        elif item.get("options"):
            raise DefinitionError(f"butir {code}: butir daftar periksa tidak boleh punya pilihan")


def _check_options(code: str, options: list[dict]) -> None:
    if not isinstance(options, list) or not options:
        raise DefinitionError(f"butir {code}: butir berskor tanpa pilihan jawaban")
    codes = set()
    for option in options:
        if not isinstance(option, dict):
            raise DefinitionError(f"butir {code}: setiap pilihan harus berupa objek")
        points = option.get("points")
        if not isinstance(points, int) or isinstance(points, bool) or points < 0:
            raise DefinitionError(f"butir {code}: pilihan '{option.get('code')}' tanpa nilai bulat")
        if option.get("code") in codes or not option.get("code"):
            raise DefinitionError(f"butir {code}: kode pilihan '{option.get('code')}' kosong atau ganda")
        codes.add(option["code"])


def _check_bands(bands, levels: list[str], maximum: int, what: str) -> None:
    if isinstance(bands, dict):
        # Both sexes, so no client is left without a level.
        if set(bands) != SEXES:
            raise DefinitionError(f"{what}: pita per jenis kelamin harus berkunci tepat M dan F")
        for sex, sex_bands in bands.items():
            _check_bands(sex_bands, levels, maximum, f"{what} ({sex})")
        return
    if not isinstance(bands, list) or not bands:
        raise DefinitionError(f"{what}: tidak ada pita tingkat")
    expected_start = 0
    last_rank = -1
    for index, band in enumerate(bands):
        if not isinstance(band, dict):
            raise DefinitionError(f"{what}, pita #{index + 1}: harus berupa objek")
        label = f"{what}, pita {band.get('level')}"
        if band.get("level") not in levels:
            raise DefinitionError(f"{label}: tingkat tidak dikenal")
        rank = levels.index(band["level"])
        if rank <= last_rank:
            raise DefinitionError(f"{label}: urutan tingkat tidak naik")
        last_rank = rank
        low, high = band.get("min"), band.get("max")
        if not isinstance(low, int) or (high is not None and not isinstance(high, int)):
            raise DefinitionError(f"{label}: batas harus bilangan bulat")
        is_last = index == len(bands) - 1
        if high is None and not is_last:
            raise DefinitionError(f"{label}: hanya pita tertinggi boleh tanpa batas atas")
        if high is not None and low > high:
            raise DefinitionError(f"{label}: batas bawah {low} melebihi batas atas {high}")
        if low < expected_start:
            raise DefinitionError(f"{label}: tumpang tindih dengan pita sebelumnya (mulai {low})")
        if low > expected_start:
            raise DefinitionError(f"{label}: celah sebelum skor {low}" if index else f"{label}: pita pertama harus mulai dari 0")
        if low > maximum:
            raise DefinitionError(f"{label}: batas {low} melebihi skor maksimum {maximum}")
        expected_start = (high + 1) if high is not None else None
    if expected_start is not None and expected_start <= maximum:
        raise DefinitionError(f"{what}: skor {expected_start}–{maximum} tidak punya tingkat (pita teratas terlalu rendah)")
    if expected_start is not None and expected_start - 1 > maximum:
        raise DefinitionError(f"{what}: pita teratas berakhir di {expected_start - 1}, melebihi skor maksimum {maximum}")


@transaction.atomic
def load_definition(definition: dict, *, by=None, source_file: str = ""):
    """Stores a definition as an instrument version. Returns (version, "created"|"unchanged"|"updated")."""
    from .models import Instrument, InstrumentVersion

    validate_definition(definition)
    digest = content_hash(definition)
    instrument, _created = Instrument.objects.update_or_create(code=definition["code"], defaults={"name": definition["name"]})
    existing = InstrumentVersion.objects.select_for_update().filter(instrument=instrument, version=definition["version"]).first()
    if existing is None:
        version = InstrumentVersion.objects.create(
            instrument=instrument, version=definition["version"], name=definition["name"], definition=definition,
            content_hash=digest, loaded_by=by, source_file=source_file,
        )
        return version, "created"
    if existing.content_hash == digest:
        return existing, "unchanged"
    if existing.is_used():
        raise DefinitionError(
            f"versi {definition['code']} {definition['version']} sudah dipakai asesmen; muat sebagai versi baru"
        )
    existing.definition, existing.content_hash, existing.name = definition, digest, definition["name"]
    existing.loaded_by, existing.source_file = by, source_file
    existing.save()
    return existing, "updated"


def get_version(code: str, version: str):
    """The stored version of an instrument; raises InstrumentVersion.DoesNotExist."""
    from .models import InstrumentVersion

    return InstrumentVersion.objects.select_related("instrument").get(instrument__code=code, version=version)


def shipped_definition(code: str, version: str) -> dict | None:
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        definition = read_definition_file(path)
        if definition.get("code") == code and definition.get("version") == version:
            return definition
    return None


def load_shipped_definitions(**kwargs) -> list[tuple[str, str]]:
    """Loads every definition shipped with the app; run after migrate, so it is always present."""
    results = []
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        definition = read_definition_file(path)
        # A broken shipped file is a bug in this app: fail loudly, outside the except below.
        validate_definition(definition)
        try:
            version, outcome = load_definition(definition, source_file=path.name)
        except DefinitionError as error:
            # The only refusal left: the shipped file changed after assessments used that version.
            # Keep the stored one (old assessments must keep scoring the same) and say so.
            logger.warning("%s not loaded: %s", path.name, error)
            results.append((path.name, f"kept: {error}"))
            continue
        results.append((path.name, outcome))
    return results
