"""Sign-in throttling shared by every worker: counts in the database, or Redis when configured.

After ``free`` failures for a key (an account or an address) each further attempt must wait
twice as long as the one before (1 s, 2 s, 4 s … up to 15 minutes). Counts are forgotten an hour
after the last failure, and an account's count is cleared by a successful sign-in.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import delete, select

from portal.core.db import get_engine, utcnow
from portal.core.models import AuthFailure

MAX_DELAY = 15 * 60
FORGET_AFTER = dt.timedelta(hours=1)
FREE = {"user": 5, "ip": 20}


def _delay(kind: str, count: int) -> int:
    over = count - FREE[kind] + 1
    return 0 if over <= 0 else min(2 ** (over - 1), MAX_DELAY)


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

    def fail(self, keys: list[str]) -> None:
        now = utcnow()
        table = AuthFailure.__table__
        with get_engine(self.app).begin() as conn:
            for key in keys:
                row = conn.execute(
                    select(table.c.count, table.c.last_at).where(table.c.key == key)
                    .with_for_update()
                ).first()
                if row is None:
                    conn.execute(table.insert().values(key=key, count=1, last_at=now))
                else:
                    count = 1 if now - _aware(row.last_at) > FORGET_AFTER else row.count + 1
                    conn.execute(table.update().where(table.c.key == key)
                                 .values(count=count, last_at=now))

    def reset(self, key: str) -> None:
        with get_engine(self.app).begin() as conn:
            conn.execute(delete(AuthFailure).where(AuthFailure.key == key))


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
            if count is not None:
                found[key] = (int(count), dt.datetime.fromtimestamp(float(last), dt.UTC))
        return found

    def fail(self, keys):
        now = utcnow().timestamp()
        pipe = self.redis.pipeline()
        for key in keys:
            pipe.hincrby(self.prefix + key, "count", 1)
            pipe.hset(self.prefix + key, "last", now)
            pipe.expire(self.prefix + key, int(FORGET_AFTER.total_seconds()))
        pipe.execute()

    def reset(self, key):
        self.redis.delete(self.prefix + key)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Throttle:
    def __init__(self, store):
        self.store = store

    @staticmethod
    def keys(username: str, address: str) -> list[str]:
        return [f"user:{username.strip().lower()}", f"ip:{address}"]

    def wait_seconds(self, keys: list[str]) -> int:
        """Seconds before another attempt is allowed for these keys (0: go ahead)."""
        now = utcnow()
        wait = 0.0
        for key, (count, last) in self.store.get(keys).items():
            if now - last > FORGET_AFTER:
                continue
            ready_at = last + dt.timedelta(seconds=_delay(key.split(":", 1)[0], count))
            wait = max(wait, (ready_at - now).total_seconds())
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, keys: list[str]) -> None:
        self.store.fail(keys)

    def succeeded(self, keys: list[str]) -> None:
        self.store.reset(keys[0])


def init_app(app) -> None:
    url = app.config.get("REDIS_URL")
    store = RedisStore(url) if url else SqlStore(app)
    app.extensions["portal.throttle"] = Throttle(store)
