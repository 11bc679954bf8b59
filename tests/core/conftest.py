"""Fixtures of the core's own tests."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def redis_url():
    """A Redis database of this test worker's own, empty before and after the test.

    pytest-xdist runs tests of one file on several workers at once: with one shared database,
    one test's ``FLUSHDB`` wiped the counts another was in the middle of asserting. Worker
    ``gwN`` gets database ``15 − N`` (the default Redis server has 16). Skips when no Redis
    answers on 127.0.0.1:6379 (an optional component).
    """
    redis = pytest.importorskip("redis")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw") or 0)
    url = f"redis://127.0.0.1:6379/{15 - index % 16}"
    server = redis.Redis.from_url(url)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379 (optional component)")
    server.flushdb()
    yield url
    server.flushdb()
