"""Shared settings of the fuzz tests: bounded, derandomized (the same cases on every run)."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

# A failure found once is found again on the next run: no example database, fixed seed.
FUZZ = settings(deadline=None, derandomize=True, database=None, phases=[Phase.generate],
                suppress_health_check=list(HealthCheck))


def server_error(failures: dict, key: str, detail: str) -> None:
    """Keep the first failing case of ``key`` (an operation or a form)."""
    failures.setdefault(key, detail)
