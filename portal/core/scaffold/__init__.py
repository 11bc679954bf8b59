"""``portal new-plugin NAME``: write a working plugin package from the templates beside this file.

The package (``portal-<name>/``) has the entry point, a plugin module with hook implementations
only, a blueprint with a page and its partial, a menu item, a permission, a dashboard panel, a
setting, an Alembic branch, demo data, a Turkish catalog (compiled here, so the tests see it) and
tests that use :mod:`portal.testing`. It passes its own tests as written.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

TEMPLATES = Path(__file__).with_name("templates") / "package"
NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
RESERVED = {"core", "admin", "api", "static", "account", "login", "logout", "activate"}


class ScaffoldError(Exception):
    """The plugin cannot be written; the message says why."""


def tokens(name: str) -> dict[str, str]:
    return {
        "%%name%%": name,
        "%%NAME%%": name.upper(),
        "%%Title%%": name.replace("_", " ").title(),
        "%%package%%": f"portal_{name}",
        "%%dist%%": f"portal-{name.replace('_', '-')}",
    }


def check_name(name: str) -> None:
    if not NAME.match(name) or keyword.iskeyword(name):
        raise ScaffoldError(f"{name!r} is not a plugin name: use lower-case letters, digits and "
                            "single underscores, starting with a letter (e.g. 'announcements').")
    if name in RESERVED:
        raise ScaffoldError(f"{name!r} is taken by the portal's own URLs; choose another name.")


def write_plugin(name: str, directory: str | Path = ".") -> Path:
    """Write the package for plugin ``name`` into ``directory``; return the package folder."""
    check_name(name)
    values = tokens(name)
    target = Path(directory) / values["%%dist%%"]
    if target.exists():
        raise ScaffoldError(f"{target} exists already; nothing was written.")
    for source in sorted(TEMPLATES.rglob("*.tmpl")):
        relative = str(source.relative_to(TEMPLATES)).removesuffix(".tmpl")
        text = source.read_text(encoding="utf-8")
        for token, value in values.items():
            relative = relative.replace(token, value)
            text = text.replace(token, value)
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _compile_catalogs(target / values["%%package%%"] / "translations")
    return target


def _compile_catalogs(root: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in root.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
