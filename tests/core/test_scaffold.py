"""``portal new-plugin``: the package it writes installs and passes its own tests at once."""

import os
import subprocess
import sys

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

    env = {**os.environ, "PYTHONPATH": str(package)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-p", "no:xdist", str(package / "tests")], cwd=package, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "6 passed" in run.stdout


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
