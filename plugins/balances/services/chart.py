"""Geometry of the server-rendered balance chart (an SVG drawn by a template, no script)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 12, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: Decimal
    negative: bool
    label_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    zero_y: float
    label_y: float


def bar_chart(values: list[Decimal]) -> Chart:
    """Bars for ``values`` around a zero line (an advance, a negative balance, goes below)."""
    top = max([Decimal("0"), *values])
    bottom = min([Decimal("0"), *values])
    span = (top - bottom) or Decimal("1")
    inner_h = HEIGHT - TOP - BOTTOM
    zero_y = TOP + float(top / span) * inner_h
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(values))
    bars = []
    for index, value in enumerate(values):
        h = float(abs(value) / span) * inner_h
        x = LEFT + index * slot + slot * 0.15
        y = zero_y - h if value >= 0 else zero_y
        bars.append(Bar(round(x, 1), round(y, 1), round(slot * 0.7, 1), round(max(h, 0.5), 1),
                        value, value < 0, round(x + slot * 0.35, 1)))
    return Chart(WIDTH, HEIGHT, bars, round(zero_y, 1), HEIGHT - 8)
