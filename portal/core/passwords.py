"""Password hashing with argon2id (argon2-cffi's defaults) and the password rules."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_dummy_hash: str | None = None  # made on first use: hashing costs time at import


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the hashing parameters (the test suite uses cheap ones; production keeps defaults).

    Existing hashes keep verifying with the parameters stored in them, and are upgraded at the
    next sign-in when the parameters differ (``needs_rehash``).
    """
    global _hasher, _dummy_hash
    _hasher = hasher
    _dummy_hash = None

MIN_LENGTH = 10
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
_common: frozenset[str] | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; spends the same time when there is no hash."""
    global _dummy_hash
    if not password_hash and _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-real-password")
    try:
        return _hasher.verify(password_hash or _dummy_hash, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def is_common(password: str) -> bool:
    global _common
    if _common is None:
        _common = frozenset(
            line.strip().lower() for line in _COMMON_FILE.read_text().splitlines() if line.strip()
        )
    return password.lower() in _common
