"""Configuration from PORTAL_* environment variables, and the instance folder's secret key."""

from pathlib import Path

from portal import create_app


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("PORTAL_BLOCKED_PLUGINS", "support,returns")
    monkeypatch.setenv("PORTAL_REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("PORTAL_DOCUMENTS_SUPPLIER_NAME", "Örnek Tedarik A.Ş.")
    app = create_app()
    assert app.config["DOCUMENTS_SUPPLIER_NAME"] == "Örnek Tedarik A.Ş."  # plugins' settings
    assert app.config["DATABASE_URL"].endswith("env.sqlite3")
    assert app.secret_key == "from-the-environment"
    assert app.config["BLOCKED_PLUGINS"] == {"support", "returns"}
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/3"


def test_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite3'}")
    first = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    second = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    key_file = Path(first.instance_path) / "secret_key"
    assert first.secret_key == second.secret_key == key_file.read_text().strip()
    assert len(first.secret_key) == 64
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_default_database_is_a_sqlite_file_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst"), "SECRET_KEY": "x"})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'inst' / 'portal.sqlite3'}"
