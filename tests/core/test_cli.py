"""The ``portal`` command: database, demo data, staff users, plugins."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from portal.core.models import AuditLog, CustomerCompany, User, UserSession
from portal.core.passwords import verify_password

ROOT = Path(__file__).resolve().parents[2]


def run(app, *args, **kwargs):
    result = app.test_cli_runner().invoke(args=list(args), **kwargs)
    return result


def test_create_staff_with_password(app, db):
    result = run(app, "users", "create-staff", "Elif", "--password", "a-long-password", "--admin")
    assert result.exit_code == 0, result.output
    assert "Staff user elif created (administrator)." in result.output
    user = db.scalar(select(User).where(User.username == "elif"))
    assert user.is_staff and user.is_admin
    assert verify_password(user.password_hash, "a-long-password")
    assert db.scalar(select(AuditLog.action).where(AuditLog.target_id == str(user.id))) \
        == "user.create"


def test_create_staff_asks_for_the_password(app, db):
    result = run(app, "users", "create-staff", "can", input="another-long-one\nanother-long-one\n")
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.username == "can"))
    assert not user.is_admin and verify_password(user.password_hash, "another-long-one")


def test_create_staff_refuses_short_passwords_and_taken_names(app, db):
    assert "at least 10 characters" in run(app, "users", "create-staff", "x",
                                           "--password", "short").output
    run(app, "users", "create-staff", "dup", "--password", "a-long-password")
    result = run(app, "users", "create-staff", "DUP", "--password", "a-long-password")
    assert result.exit_code != 0 and "is taken" in result.output


def test_plugins_list_enable_disable(app, db):
    listing = run(app, "plugins", "list").output
    assert "orders" in listing and "enabled" in listing and "requires: documents" in listing
    result = run(app, "plugins", "disable", "documents")
    assert result.exit_code != 0 and "is required by" in result.output
    for name in ("orders", "returns", "balances"):
        assert run(app, "plugins", "disable", name).exit_code == 0
    assert run(app, "plugins", "disable", "documents").exit_code == 0
    listing = {line.split()[0]: line.split()[1] for line in run(app, "plugins", "list")
               .output.splitlines()}
    assert listing["documents"] == "disabled" and listing["support"] == "enabled"
    result = run(app, "plugins", "enable", "orders")
    assert result.exit_code != 0 and "requires documents" in result.output
    assert run(app, "plugins", "enable", "documents").exit_code == 0
    assert run(app, "plugins", "enable", "orders").exit_code == 0


def test_blocked_plugins_are_listed_as_blocked(make_app, db):
    app = make_app(BLOCKED_PLUGINS="support")
    lines = run(app, "plugins", "list").output.splitlines()
    assert any(line.split()[:2] == ["support", "blocked"] for line in lines)


def test_demo_twice_changes_nothing(app, db):
    def counts():
        return (db.scalar(select(func.count()).select_from(User)),
                db.scalar(select(func.count()).select_from(CustomerCompany)))

    assert run(app, "demo").exit_code == 0
    first = counts()
    assert first[0] >= 7 and first[1] >= 3
    result = run(app, "demo")
    assert result.exit_code == 0, result.output
    assert counts() == first
    assert db.query(UserSession).count() == 0


def test_portal_command_is_installed():
    result = subprocess.run([str(Path(sys.executable).with_name("portal")), "--help"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0
    for command in ("db", "demo", "plugins", "run", "users"):
        assert command in result.stdout
