"""English and Turkish ship: every string in the code has a Turkish translation that keeps its
placeholders (a new string without one fails here, before a Turkish user meets it)."""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w+\}")


def test_every_string_has_a_turkish_translation_with_the_same_placeholders(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "extract",
                    "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
                   cwd=ROOT, check=True, timeout=120)
    with pot.open("rb") as handle:
        wanted = [m.id for m in read_po(handle) if m.id]
    with (ROOT / "translations/tr/LC_MESSAGES/messages.po").open("rb") as handle:
        turkish = {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}
    assert len(wanted) > 500
    missing, broken = [], []
    for msgid in wanted:
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        string = turkish.get(msgid)
        strings = string if isinstance(string, tuple) else (string,)
        if not string or not all(strings):
            missing.append(ids[0])
            continue
        for source, target in zip(ids, strings, strict=False):
            if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(target)):
                broken.append((source, target))
    assert not missing, f"untranslated (run `make messages`, then translate): {missing}"
    assert not broken, f"placeholders differ: {broken}"
