"""Sign-in throttling that slows down the guesser without locking out the owner (ASVS 5.0 V6.3).

Counts live in the database (``auth_failure``) or in Redis when ``REDIS_URL`` is set, so every
worker sees the same numbers. After ``FREE[kind]`` failures for a key each further attempt must
wait twice as long as the one before (1 s, 2 s, 4 s … up to 15 minutes); a key is forgotten an
hour after its last failure. An attempt that has to wait is refused before the password is
checked, and is not counted.

Which counters an attempt is judged by depends on who makes it:

* **From a known device** (a browser that signed in to this account before and holds its signed
  device cookie, :mod:`portal.core.known_device`): only that device's own counter
  (``user:<account>|device:<id>``, 5 free). Whatever a guesser does elsewhere, the owner's
  browser with the right password gets in; someone guessing at that one browser is slowed down.
* **From anywhere else**, three counters, and the longest wait wins:

  - the (account, address) pair ``user:<account>|ip:<address>`` (5 free): a guesser is slowed
    down at their own address, and the owner elsewhere is not affected;
  - the account ceiling ``user:<account>`` (50 free) against guessing one account from many
    addresses. It counts every failure for the account, also from known devices, so it is the
    "N failed attempts" staff see on the user card;
  - the address ``ip:<address>`` (20 free), which counts **accounts, not attempts**: it goes up
    by one when an account fails for the first time from that address, and down by one when
    that account then signs in from there (or staff clear it). So it counts the accounts with
    failures outstanding from the address. A guesser trying one account behind an office NAT
    adds one; colleagues who mistype and then get it right add nothing; only someone trying
    many accounts from one address (password spraying) reaches the limit, and then a fresh
    browser there has to wait while a known device still gets in.

A successful sign-in clears its own pair (or device) counter, never the ceiling, which only
fades with time or is cleared by staff on the user card (:meth:`Throttle.clear`). The card also
lists the addresses this account failed from whose wait still holds, with the address limit
(:meth:`Throttle.address_limits`), and staff can clear one address for everybody behind it
(:meth:`Throttle.clear_address`). Requests for a
password-reset link have counters of their own (``reset:…``), since they lock nobody out.
Account names are folded to lower case; a name no user can have (other characters, or longer
than 100) is counted under a hash of itself, so typed text can never reach another key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.core.db import get_engine, utcnow
from portal.core.models import AuthFailure

MAX_DELAY = 15 * 60
FORGET_AFTER = dt.timedelta(hours=1)
FREE = {"pair": 5, "device": 5, "user": 50, "ip": 20, "reset": 5, "reset-ip": 20}
_PLAIN_NAME = re.compile(r"[a-z0-9._@-]{1,100}")


def _delay(kind: str, count: int) -> int:
    over = count - FREE[kind] + 1
    return 0 if over <= 0 else min(2 ** (over - 1), MAX_DELAY)


def _kind(key: str) -> str:
    head, _, tail = key.rpartition("|")
    if head:
        return "pair" if tail.startswith("ip:") else "device"
    return key.split(":", 1)[0]


def account_name(username: str) -> str:
    """The account part of the keys for a typed or stored user name."""
    name = username.strip().lower()
    if _PLAIN_NAME.fullmatch(name):
        return name
    return "#" + hashlib.sha256(name.encode()).hexdigest()[:32]


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _fresh(last: dt.datetime, now: dt.datetime) -> bool:
    return now - last <= FORGET_AFTER


# -- stores: get, fail (count one more), remove, uncount (one less), keys under a prefix ------


class SqlStore:
    def __init__(self, app):
        self.app = app

    def get(self, keys: list[str]) -> dict[str, tuple[int, dt.datetime]]:
        with get_engine(self.app).connect() as conn:
            rows = conn.execute(
                select(AuthFailure.key, AuthFailure.count, AuthFailure.last_at)
                .where(AuthFailure.key.in_(keys))
            ).all()
        return {key: (count, _aware(last)) for key, count, last in rows}

    def fail(self, keys: list[str]) -> dict[str, int]:
        for attempt in range(3):  # a concurrent first failure of the same key: count again
            try:
                with get_engine(self.app).begin() as conn:
                    return {key: self._bump(conn, key, utcnow()) for key in keys}
            except IntegrityError:
                if attempt == 2:
                    raise
        return {}

    @staticmethod
    def _bump(conn, key: str, now: dt.datetime) -> int:
        table = AuthFailure.__table__
        row = conn.execute(select(table.c.count, table.c.last_at).where(table.c.key == key)
                           .with_for_update()).first()
        if row is None:
            conn.execute(table.insert().values(key=key, count=1, last_at=now))
            return 1
        count = row.count + 1 if _fresh(_aware(row.last_at), now) else 1
        conn.execute(table.update().where(table.c.key == key).values(count=count, last_at=now))
        return count

    def remove(self, keys: list[str]) -> dict[str, tuple[int, dt.datetime]]:
        with get_engine(self.app).begin() as conn:
            rows = conn.execute(
                select(AuthFailure.key, AuthFailure.count, AuthFailure.last_at)
                .where(AuthFailure.key.in_(keys)).with_for_update()).all()
            conn.execute(delete(AuthFailure).where(AuthFailure.key.in_(keys)))
        return {key: (count, _aware(last)) for key, count, last in rows}

    def uncount(self, key: str) -> None:
        table = AuthFailure.__table__
        with get_engine(self.app).begin() as conn:
            conn.execute(table.update().where(table.c.key == key, table.c.count > 0)
                         .values(count=table.c.count - 1))

    def keys_under(self, prefix: str) -> list[str]:
        with get_engine(self.app).connect() as conn:
            return list(conn.scalars(select(AuthFailure.key)
                                     .where(AuthFailure.key.startswith(prefix, autoescape=True))))


class RedisStore:
    def __init__(self, url: str, prefix: str = "portal:authfail:"):
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix

    def get(self, keys):
        pipe = self.redis.pipeline()
        for key in keys:
            pipe.hmget(self.prefix + key, "count", "last")
        found = {}
        for key, (count, last) in zip(keys, pipe.execute(), strict=True):
            if count is not None and last is not None:
                found[key] = (int(count), dt.datetime.fromtimestamp(float(last), dt.UTC))
        return found

    def fail(self, keys):
        now = utcnow().timestamp()
        pipe = self.redis.pipeline()
        for key in keys:
            pipe.hincrby(self.prefix + key, "count", 1)
            pipe.hset(self.prefix + key, "last", now)
            pipe.expire(self.prefix + key, int(FORGET_AFTER.total_seconds()))
        results = pipe.execute()
        return {key: int(results[3 * i]) for i, key in enumerate(keys)}

    def remove(self, keys):
        pipe = self.redis.pipeline()  # MULTI/EXEC: read and delete at once
        for key in keys:
            pipe.hmget(self.prefix + key, "count", "last")
        for key in keys:
            pipe.delete(self.prefix + key)
        results = pipe.execute()[:len(keys)]
        return {key: (int(count), dt.datetime.fromtimestamp(float(last), dt.UTC))
                for key, (count, last) in zip(keys, results, strict=True)
                if count is not None and last is not None}

    def uncount(self, key):
        if self.redis.hincrby(self.prefix + key, "count", -1) <= 0:
            self.redis.delete(self.prefix + key)

    def keys_under(self, prefix):
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self.prefix + prefix) + "*"
        return [name.decode()[len(self.prefix):]
                for name in self.redis.scan_iter(match=pattern, count=500)]


# -- the rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    """What staff see on a user card: failures counted for the account and when the last wait
    on any of its counters ends."""

    failures: int
    until: dt.datetime


@dataclass(frozen=True)
class AddressLimit:
    """What staff see on a user card for one address the account failed from: how many
    accounts have failures outstanding from it (the address limit counts those) and when the
    wait for a new browser of this account there ends."""

    address: str
    accounts: int
    until: dt.datetime


@dataclass
class Attempt:
    """One sign-in (or current-password) attempt: ask :meth:`wait_seconds` first, then report
    :meth:`failed` or :meth:`succeeded`."""

    throttle: Throttle
    account: str
    address: str
    device: str | None = None

    @property
    def _ceiling(self) -> str:
        return f"user:{self.account}"

    @property
    def _own(self) -> str:
        """The counter of whoever makes the attempt: the device, else the address."""
        if self.device:
            return f"user:{self.account}|device:{self.device}"
        return f"user:{self.account}|ip:{self.address}"

    @property
    def _address(self) -> str:
        return f"ip:{self.address}"

    def wait_seconds(self) -> int:
        keys = [self._own] if self.device else [self._own, self._ceiling, self._address]
        return self.throttle.wait_seconds(keys)

    def failed(self) -> None:
        store = self.throttle.store
        counts = store.fail([self._own, self._ceiling])
        if not self.device and counts.get(self._own) == 1:  # a new account from this address
            store.fail([self._address])

    def succeeded(self) -> None:
        self.throttle.forget([self._own])


class Throttle:
    def __init__(self, store):
        self.store = store

    def attempt(self, username: str, address: str, device: str | None = None) -> Attempt:
        """``device``: the id of a known device for this account (None when there is none)."""
        return Attempt(self, account_name(username), address, device)

    def wait_seconds(self, keys: list[str]) -> int:
        """Seconds before another attempt is allowed for these keys (0: go ahead)."""
        now = utcnow()
        ready = [self._ready_at(key, count, last)
                 for key, (count, last) in self.store.get(keys).items() if _fresh(last, now)]
        wait = max([(at - now).total_seconds() for at in ready], default=0)
        return math.ceil(wait) if wait > 0 else 0

    @staticmethod
    def _ready_at(key: str, count: int, last: dt.datetime) -> dt.datetime:
        return last + dt.timedelta(seconds=_delay(_kind(key), count))

    def failed(self, keys: list[str]) -> None:
        """Count a failure on plain keys (the password-reset requests)."""
        self.store.fail(keys)

    def forget(self, keys: list[str]) -> None:
        """Drop these counters; an (account, address) pair that still counted gives its
        account back to the address."""
        now = utcnow()
        for key, (_count, last) in self.store.remove(keys).items():
            if _kind(key) == "pair" and _fresh(last, now):
                self.store.uncount(key.rpartition("|")[2])

    def _account_keys(self, username: str) -> list[str]:
        ceiling = f"user:{account_name(username)}"
        return [ceiling, *self.store.keys_under(ceiling + "|")]

    def lock(self, username: str) -> Lock | None:
        """The slow-down on this account now, or None when every attempt may go ahead."""
        now = utcnow()
        found = self.store.get(self._account_keys(username))
        until = max([self._ready_at(key, count, last) for key, (count, last) in found.items()
                     if _fresh(last, now)], default=now)
        if until <= now:
            return None
        ceiling = found.get(f"user:{account_name(username)}")
        return Lock(failures=ceiling[0] if ceiling and _fresh(ceiling[1], now) else 0,
                    until=until)

    def clear(self, username: str) -> None:
        """Staff: forget every counter of this account (ceiling, addresses, devices)."""
        self.forget(self._account_keys(username))

    def address_limits(self, username: str) -> list[AddressLimit]:
        """The addresses this account has failures outstanding from where a new browser of
        the account has to wait now (for the pair or for the address), by address."""
        now = utcnow()
        prefix = f"user:{account_name(username)}|ip:"
        addresses = sorted(key[len(prefix):] for key in self.store.keys_under(prefix))
        found = self.store.get([key for address in addresses
                                for key in (prefix + address, f"ip:{address}")])
        limits = []
        for address in addresses:
            counters = {key: found[key] for key in (prefix + address, f"ip:{address}")
                        if key in found and _fresh(found[key][1], now)}
            until = max([self._ready_at(key, count, last)
                         for key, (count, last) in counters.items()], default=now)
            if until > now:
                accounts = counters.get(f"ip:{address}", (0, now))[0]
                limits.append(AddressLimit(address, accounts, until))
        return limits

    def clear_address(self, username: str, address: str) -> None:
        """Staff: forget the address limit of ``address`` (for every account behind it) and
        this account's failures from there."""
        self.forget([f"user:{account_name(username)}|ip:{address}", f"ip:{address}"])


def init_app(app) -> None:
    url = app.config.get("REDIS_URL")
    store = RedisStore(url) if url else SqlStore(app)
    app.extensions["portal.throttle"] = Throttle(store)
