import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from .helpers import KRIM, RRI, answers_reaching


def _write(tmp_path, answers, name="answers.json"):
    path = tmp_path / name
    path.write_text(json.dumps(answers), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_score_prints_the_result(tmp_path, capsys):
    answers = answers_reaching(RRI, 12) | {"B1": True, "D3": True}
    call_command("score_assessment", "RRI", "02", _write(tmp_path, answers))
    assert json.loads(capsys.readouterr().out) == {"total": 12, "level": "Tinggi", "domains": {}, "flags": ["B1", "D3"]}


@pytest.mark.django_db
def test_score_with_points_and_codes_and_domains(tmp_path, capsys):
    answers = answers_reaching(KRIM, 4, domain="Hubungan Sosial")
    answers["A1"] = 2  # points instead of a code
    call_command("score_assessment", "KRIMINOGENIK", "02", _write(tmp_path, answers), "--sex", "F")
    result = json.loads(capsys.readouterr().out)
    assert result["total"] == 6 and result["level"] == "Rendah"
    assert result["domains"]["Hubungan Sosial"] == {"score": 4, "level": "Tinggi"}
    assert result["domains"]["Keluarga dan Pernikahan"] == {"score": 2, "level": "Sedang"}


@pytest.mark.django_db
def test_describe_lists_every_item(capsys):
    call_command("score_assessment", "KRIMINOGENIK", "02", "--describe")
    described = json.loads(capsys.readouterr().out)
    assert (described["code"], described["version"]) == ("KRIMINOGENIK", "02")
    codes = [item["code"] for item in described["items"]]
    assert codes[:30] == [f"A{i}" for i in range(1, 31)]
    assert codes[30:] == [f"B1_{i}" for i in range(1, 10)] + [f"B2_{i}" for i in range(1, 9)]
    first = described["items"][0]
    assert set(first) == {"code", "part", "domain", "scored", "text", "options"}
    assert first["domain"] == "Keluarga dan Pernikahan" and {"code", "points"} == set(first["options"][0])
    assert described["items"][-1]["options"] == [] and described["items"][-1]["scored"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("answers, item", [({"A1": "ya"}, "A2"), ({"Q1": 1}, "Q1"), ({"A1": 2}, "A1")])
def test_score_errors_name_the_item(tmp_path, answers, item):
    full = answers_reaching(RRI, 0) | answers if item != "A2" else answers
    with pytest.raises(CommandError) as error:
        call_command("score_assessment", "RRI", "02", _write(tmp_path, full))
    assert item in str(error.value) and error.value.returncode == 2


def test_exit_status_2_from_the_shell(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bapas.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "score_assessment", "RRI", "02", _write(tmp_path, {"A1": "mungkin"})],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2 and "A1" in result.stderr
    ok = subprocess.run(
        [sys.executable, "manage.py", "score_assessment", "RRI", "02", _write(tmp_path, answers_reaching(RRI, 16), "ok.json")],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["level"] == "Sangat Tinggi"


@pytest.mark.django_db
def test_load_instrument_command(tmp_path, capsys):
    from .helpers import synthetic

    path = tmp_path / "test-01.json"
    path.write_text(json.dumps(synthetic()), encoding="utf-8")
    call_command("load_instrument", str(path))
    call_command("load_instrument", str(path))
    assert capsys.readouterr().out.split() == ["TEST", "01:", "created", "TEST", "01:", "unchanged"]
    broken = synthetic()
    broken["items"][0]["options"] = []
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(CommandError, match="X1"):
        call_command("load_instrument", str(path))
