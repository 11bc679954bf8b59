"""Every test in this folder is a browser test; the fixtures are in :mod:`tests.browser.kit`."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_itemcollected(item):
    """Mark every test in this folder ``browser`` (before ``-m`` selects)."""
    if HERE in Path(item.path).resolve().parents:
        item.add_marker(pytest.mark.browser)
