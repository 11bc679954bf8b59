"""``portal new-plugin``: the package it writes installs and passes its own tests at once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.core.scaffold import ScaffoldError, write_plugin


def test_new_plugin_writes_a_package_whose_own_tests_pass(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["new-plugin", "gizmos", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    package = tmp_path / "portal-gizmos"
    assert f"Plugin package written to {package}." in result.output
    for path in ("pyproject.toml", "portal_gizmos/plugin.py", "portal_gizmos/views.py",
                 "portal_gizmos/templates/gizmos/index.html",
                 "portal_gizmos/templates/gizmos/_items.html",
                 "portal_gizmos/migrations/gizmos_0001_items.py",
                 "portal_gizmos/translations/tr/LC_MESSAGES/messages.mo",
                 "tests/conftest.py", "tests/test_gizmos.py"):
        assert (package / path).is_file(), path
    plugin_source = (package / "portal_gizmos/plugin.py").read_text()
    assert "@bp.route" not in plugin_source and plugin_source.count("@hookimpl") == 8

    python = _venv_seeing_this_one(tmp_path / "venv")
    install = subprocess.run(  # offline: no index, no dependencies, no build environment
        [python, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--no-build-isolation",
         "-e", str(package)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    env = {**os.environ, "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
           "PORTAL_SECRET_KEY": "x"}
    env.pop("PORTAL_DATABASE_URL", None)
    portal = [python, "-c",
              "import sys; from portal.cli import main; sys.argv[0] = 'portal'; main()"]
    for args in (["db", "upgrade"], ["plugins", "list"]):
        run = subprocess.run([*portal, *args], capture_output=True, text=True, env=env,
                             cwd=tmp_path, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
    listed = {line.split()[0]: line.split()[1:] for line in run.stdout.splitlines() if line}
    assert listed["gizmos"] == ["disabled", "portal-gizmos"]  # found through its entry point
    run = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-p", "no:xdist", "tests"], cwd=package, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "6 passed" in run.stdout


def _venv_seeing_this_one(target):
    """A fresh venv that sees this venv's packages (the portal and its dependencies, setuptools
    and wheel for the build): ``--system-site-packages`` for the interpreter's, and a ``.pth``
    line for the running venv's own site-packages."""
    import sysconfig
    import venv

    venv.create(target, system_site_packages=True, with_pip=True)
    python = str(target / "bin" / "python")
    site_packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    (Path(site_packages) / "portal-running-venv.pth").write_text(
        f"import site; site.addsitedir({ours!r})\n")
    found = subprocess.run([python, "-c", "import portal, setuptools, wheel"],
                           capture_output=True, text=True)
    assert found.returncode == 0, "the new venv misses the portal, setuptools or wheel: " \
        + found.stderr
    return python


@pytest.mark.parametrize("name, message", [("Bad-Name", "is not a plugin name"),
                                           ("admin", "taken by the portal's own URLs")])
def test_new_plugin_refuses_bad_names(app, tmp_path, name, message):
    target = tmp_path / "out"
    result = app.test_cli_runner().invoke(args=["new-plugin", name, "--dir", str(target)])
    assert result.exit_code != 0 and message in result.output
    assert not target.exists()


def test_new_plugin_never_overwrites(tmp_path):
    write_plugin("gizmos", tmp_path)
    with pytest.raises(ScaffoldError, match="exists already"):
        write_plugin("gizmos", tmp_path)


def test_the_testing_extra_holds_what_portal_testing_imports():
    """``pip install 'portal[testing]'`` brings every third-party module portal.testing imports
    that the portal itself does not require; the template and the example use that extra."""
    import ast
    import configparser
    import re
    from importlib.metadata import PackageNotFoundError, packages_distributions, requires
    from pathlib import Path

    root = Path(__file__).parents[2]
    cfg = configparser.ConfigParser()
    cfg.read(root / "setup.cfg")

    def names(spec: str) -> set[str]:
        return {re.split(r"[<>=\[ ;]", line.strip())[0].lower().replace("_", "-")
                for line in spec.splitlines() if line.strip()}

    base = names(cfg["options"]["install_requires"])
    testing = names(cfg["options.extras_require"]["testing"])
    tree = ast.parse((root / "portal" / "testing.py").read_text())
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module and not node.level}
    def closure(wanted: set[str]) -> set[str]:  # with the requirements' own requirements
        seen, todo = set(), list(wanted)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                reqs = requires(name) or ()
            except PackageNotFoundError:  # only for another Python (a marker)
                continue
            for req in reqs:
                if "extra ==" not in req:
                    todo.append(re.split(r"[<>=!~\[ ;(]", req)[0].lower().replace("_", "-"))
        return seen

    installed = closure(base) | closure(testing)
    dists = packages_distributions()
    missing = {mod for mod in modules - {"portal", "plugins", "__future__"}
               if mod not in sys.stdlib_module_names
               and not {d.lower().replace("_", "-") for d in dists.get(mod, [mod])} & installed}
    assert not missing, f"portal.testing imports {missing}, not in the 'testing' extra"
    assert {"pytest", "beautifulsoup4", "aiosmtpd"} <= testing
    template = root / "portal/core/scaffold/templates/package/pyproject.toml.tmpl"
    for pyproject in (template, root / "examples/portal-announcements/pyproject.toml"):
        assert 'test = ["portal[testing]"]' in pyproject.read_text(), pyproject
