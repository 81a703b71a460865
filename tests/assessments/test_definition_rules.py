"""Definition rules the other files leave open: malformed structure, cut-offs above the maximum,
sex-specific bands, YAML, the model-level freeze of used versions, shipped files after use."""

import json

import pytest
import yaml
from django.apps.registry import Apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments import definitions
from assessments.apps import _load_shipped
from assessments.definitions import (
    DefinitionError,
    content_hash,
    get_version,
    load_definition,
    load_shipped_definitions,
    validate_definition,
)
from assessments.engine import ScoringError, score
from assessments.models import InstrumentVersion
from tests.factories import UserFactory

from .helpers import RRI, synthetic

SEX_BANDS = {
    "M": [{"level": "Rendah", "min": 0, "max": 1}, {"level": "Sedang", "min": 2, "max": 2}, {"level": "Tinggi", "min": 3, "max": 3}],
    "F": [{"level": "Rendah", "min": 0, "max": 0}, {"level": "Sedang", "min": 1, "max": 2}, {"level": "Tinggi", "min": 3, "max": 3}],
}


def _refused(definition) -> str:
    with pytest.raises(DefinitionError) as error:
        validate_definition(definition)
    return str(error.value)


def test_a_cut_off_above_the_reachable_maximum_names_the_band():
    definition = synthetic()
    definition["items"][2]["options"] = [{"code": "a", "points": 0}]  # total maximum now 3, Tinggi starts at 4
    message = _refused(definition)
    assert "total, pita Tinggi" in message and "maksimum 3" in message


@pytest.mark.parametrize(
    "change, named",
    [
        (lambda d: d["items"][1].pop("text"), "X2"),
        (lambda d: d["items"][0].pop("part"), "X1"),
        (lambda d: d["domains"][0].pop("bands"), "D1"),
        (lambda d: d["parts"][1].pop("name"), "parts B"),
        (lambda d: d.update(items={"X1": {}}), "items"),
        (lambda d: d["total_bands"].__setitem__(1, "Sedang"), "total, pita #2"),
        (lambda d: d["items"][0].update(options={"a": 0}), "X1"),
    ],
)
def test_malformed_entries_are_refused_by_name_not_by_a_crash(change, named):
    definition = synthetic()
    change(definition)
    assert named in _refused(definition)


def test_sex_specific_bands_need_both_sexes_and_are_checked_per_sex():
    def with_domain_bands(bands):
        definition = synthetic()
        definition["domains"][0]["bands"] = bands
        return definition

    assert "M dan F" in _refused(with_domain_bands({"M": SEX_BANDS["M"]}))
    assert "domain 'D1' (F)" in _refused(with_domain_bands({"M": SEX_BANDS["M"], "F": SEX_BANDS["F"][:2]}))


def test_sex_specific_domain_bands_score_by_sex_with_indonesian_codes():
    definition = synthetic()
    definition["domains"][0]["bands"] = SEX_BANDS
    validate_definition(definition)
    answers = {"X1": "b", "X2": "a", "X3": "a"}  # domain D1 = 1
    assert score(definition, answers, sex="L").domains["D1"].level == "Rendah"
    assert score(definition, answers, sex="M").domains["D1"].level == "Rendah"
    assert score(definition, answers, sex="F").domains["D1"].level == "Sedang"
    with pytest.raises(ScoringError) as error:
        score(definition, answers)
    assert error.value.item == "D1" and "jenis kelamin" in error.value.message


def test_get_version_finds_shipped_versions_and_refuses_unknown_ones(db):
    assert get_version("RRI", "02").definition == RRI
    with pytest.raises(InstrumentVersion.DoesNotExist):
        get_version("RRI", "99")


def test_shipped_definitions_load_idempotently(db):
    assert {outcome for _name, outcome in load_shipped_definitions()} == {"unchanged"}


def test_a_yaml_file_loads_like_the_same_json(db, tmp_path, capsys):
    (tmp_path / "test-01.yaml").write_text(yaml.safe_dump(synthetic(), allow_unicode=True), encoding="utf-8")
    (tmp_path / "test-01.json").write_text(json.dumps(synthetic()), encoding="utf-8")
    call_command("load_instrument", str(tmp_path / "test-01.yaml"))
    call_command("load_instrument", str(tmp_path / "test-01.json"))
    assert capsys.readouterr().out.split() == ["TEST", "01:", "created", "TEST", "01:", "unchanged"]
    assert get_version("TEST", "01").source_file == "test-01.yaml"


def test_a_used_version_refuses_a_direct_definition_edit(db, monkeypatch):
    version, _outcome = load_definition(synthetic())
    monkeypatch.setattr(InstrumentVersion, "is_used", lambda self: True)
    version.definition["items"][0]["options"][2]["points"] = 5  # the hash is left as it was
    with pytest.raises(ValidationError):
        version.save()
    version.refresh_from_db()
    assert version.definition == synthetic()


def test_the_stored_hash_follows_the_definition(db):
    version, _outcome = load_definition(synthetic())
    version.definition["items"][0]["text"] = "teks baru"
    version.save()
    version.refresh_from_db()
    assert version.content_hash == content_hash(version.definition) != content_hash(synthetic())
    assert load_definition(synthetic())[1] == "updated"  # the edit is not mistaken for the file's content


def test_a_changed_shipped_file_keeps_the_used_stored_version(db, tmp_path, monkeypatch):
    changed = json.loads(json.dumps(RRI))
    changed["items"][0]["options"][1]["points"] = 2
    changed["total_bands"][-1]["max"] = 16
    (tmp_path / "rri-02.json").write_text(json.dumps(changed), encoding="utf-8")
    monkeypatch.setattr(definitions, "SHIPPED_DIR", tmp_path)
    monkeypatch.setattr(InstrumentVersion, "is_used", lambda self: True)
    [(name, outcome)] = load_shipped_definitions()
    assert name == "rri-02.json" and outcome.startswith("kept")
    assert get_version("RRI", "02").definition == RRI


def test_post_migrate_skips_when_the_instrument_table_is_gone(monkeypatch):
    # After `migrate assessments zero` the migrated state has no assessments models.
    monkeypatch.setattr(definitions, "load_shipped_definitions", lambda: pytest.fail("loaded without a table"))
    _load_shipped(sender=None, apps=Apps(installed_apps=[]))


def test_the_admin_shows_versions_read_only(db, login, office):
    staff = UserFactory(office=office, is_staff=True, is_superuser=True)
    client = login(staff)
    version = get_version("RRI", "02")
    url = reverse("admin:assessments_instrumentversion_change", args=[version.pk])
    edit = {"instrument": version.instrument_id, "version": "02", "name": "x", "definition": "{}", "source_file": ""}
    client.post(url, edit)
    assert get_version("RRI", "02").definition == RRI
    assert client.get(reverse("admin:assessments_instrumentversion_add")).status_code == 403


def test_describe_rri(capsys, db):
    call_command("score_assessment", "RRI", "02", "--describe")
    described = json.loads(capsys.readouterr().out)
    codes = [item["code"] for item in described["items"]]
    assert codes == [f"A{i}" for i in range(1, 11)] + ["B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3"]
    assert described["items"][4] == {
        "code": "A5", "part": "A", "domain": None, "scored": True, "text": RRI["items"][4]["text"],
        "options": [{"code": "tidak-ada", "points": 0}, {"code": "1-2", "points": 2}, {"code": "3+", "points": 4}],
    }
    assert described["items"][10]["options"] == [] and described["items"][10]["scored"] is False


@pytest.mark.parametrize(
    "arguments, said",
    [
        (["NOPE", "02", "--describe"], "NOPE"),
        (["RRI", "02"], "ANSWERS"),
        (["RRI", "02", "/nonexistent/answers.json"], "answers.json"),
    ],
)
def test_score_command_usage_errors_exit_2(db, arguments, said):
    with pytest.raises(CommandError) as error:
        call_command("score_assessment", *arguments)
    assert error.value.returncode == 2 and said in str(error.value)


def test_score_command_refuses_unreadable_json(db, tmp_path):
    path = tmp_path / "rusak.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("score_assessment", "RRI", "02", str(path))
    assert error.value.returncode == 2 and "rusak.json" in str(error.value)
