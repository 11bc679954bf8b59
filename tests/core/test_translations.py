"""English and Turkish ship: every string in the code has a Turkish translation that keeps its
placeholders (a new string without one fails here, before a Turkish user meets it)."""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w+\}")


def _own_catalogs() -> list[Path]:
    """Plugins that keep their strings in a catalog of their own (``<plugin>/translations``)."""
    return sorted(p.parent for p in ROOT.glob("plugins/*/translations") if p.is_dir())


def _extract(tmp_path: Path, source: Path, mapping: str, ignore: list[str]) -> list:
    pot = tmp_path / f"{source.name}.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "extract",
                    "-F", str(ROOT / mapping), "-k", "_l", "-k", "lazy_gettext",
                    "--ignore-dirs", " ".join([".*", "._", *ignore]), "-o", str(pot), "."],
                   cwd=source, check=True, timeout=120)
    with pot.open("rb") as handle:
        return [m.id for m in read_po(handle) if m.id]


EXAMPLE = ROOT / "examples" / "portal-announcements"


def _catalogs():
    own = _own_catalogs()
    yield ROOT, ROOT / "translations", "babel.cfg", [p.name for p in own] + ["examples"]
    for plugin in own:
        yield plugin, plugin / "translations", "babel-plugin.cfg", []
    # The example third-party plugin keeps its catalog in its package, like any published one.
    yield (EXAMPLE / "portal_announcements", EXAMPLE / "portal_announcements" / "translations",
           "examples/portal-announcements/babel.cfg", [])


@pytest.mark.parametrize("source,translations,mapping,ignore", list(_catalogs()),
                         ids=lambda v: v.name if isinstance(v, Path) else None)
def test_every_string_has_a_turkish_translation_with_the_same_placeholders(
        tmp_path, source, translations, mapping, ignore):
    wanted = _extract(tmp_path, source, mapping, ignore)
    with (translations / "tr/LC_MESSAGES/messages.po").open("rb") as handle:
        turkish = {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}
    assert wanted
    missing, broken = [], []
    for msgid in wanted:
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        string = turkish.get(msgid)
        strings = string if isinstance(string, tuple) else (string,)
        if not string or not all(strings):
            missing.append(ids[0])
            continue
        for source_text, target in zip(ids, strings, strict=False):
            if Counter(PLACEHOLDER.findall(source_text)) != Counter(PLACEHOLDER.findall(target)):
                broken.append((source_text, target))
    assert not missing, f"untranslated (run `make messages`, then translate): {missing}"
    assert not broken, f"placeholders differ: {broken}"
