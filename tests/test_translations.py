"""The English catalogue is complete: every message has a translation that is not marked fuzzy (a
fuzzy or empty entry is left out when the catalogue is compiled, so the English page would show the
Indonesian text). Indonesian is the source language: its catalogue needs no translations."""

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _text(lines: list[str], keyword: str) -> str | None:
    """The string after `keyword` (msgid, msgstr, msgstr[0] ...) joined with its continuation lines, or None."""
    for index, line in enumerate(lines):
        if line.startswith(keyword + " "):
            parts = [line[len(keyword) + 1:]]
            for more in lines[index + 1:]:
                if not more.startswith('"'):
                    break
                parts.append(more)
            return "".join(part.strip()[1:-1] for part in parts)
    return None


def entries():
    """Each live entry of the catalogue as (msgid, its translations, fuzzy?); the header and obsolete entries left out."""
    for block in re.split(r"\n\s*\n", CATALOGUE.read_text(encoding="utf-8")):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        msgid = _text(lines, "msgid")
        if not msgid:
            continue
        plural = _text(lines, "msgid_plural") is not None
        translations = [_text(lines, f"msgstr[{n}]") for n in (0, 1)] if plural else [_text(lines, "msgstr")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        yield msgid, translations, fuzzy


def test_every_message_has_an_english_translation():
    found = list(entries())
    assert len(found) > 1000
    untranslated = [msgid for msgid, translations, fuzzy in found if fuzzy or not all(translations)]
    assert untranslated == []


def test_the_reader_sees_an_untranslated_and_a_fuzzy_entry(tmp_path, monkeypatch):
    sample = tmp_path / "django.po"
    sample.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "Hadir"\nmsgstr "Present"\n\n'
                      'msgid "Dua"\nmsgstr ""\n\n#, fuzzy\nmsgid "Tiga"\nmsgstr "Three"\n\n'
                      'msgid ""\n"Panjang "\n"sekali"\nmsgstr ""\n"Very "\n"long"\n', encoding="utf-8")
    monkeypatch.setattr("tests.test_translations.CATALOGUE", sample)
    assert list(entries()) == [("Hadir", ["Present"], False), ("Dua", [""], False), ("Tiga", ["Three"], True),
                               ("Panjang sekali", ["Very long"], False)]
