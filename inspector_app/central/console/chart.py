"""The 总览 chart, drawn on the server as inline SVG: no script, no library, prints as it shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

WIDTH, HEIGHT = 640, 180
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 14, 22


def _nice(top: int) -> int:
    for step in (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if top <= step:
            return step
    return top


def daily_chart(days: Sequence[dict[str, Any]], _: Callable[[str], str]) -> str:
    """Bars: inspections per day; line: findings raised per day (same scale); labelled axes."""
    if not days:
        return ""
    peak = _nice(max(1, *(d["visits"] for d in days), *(d["findings"] for d in days)))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / len(days)
    bar = max(1.0, step * 0.62)

    def y(v: float) -> float:
        return TOP + inner_h - inner_h * v / peak

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(_("每日检查家次与发现隐患"))}" preserveAspectRatio="none">'
    ]
    for frac in (0, 0.5, 1):
        gy = y(peak * frac)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{gy:.1f}" y2="{gy:.1f}"/>')
        parts.append(
            f'<text class="axis" x="{LEFT - 4}" y="{gy + 4:.1f}" text-anchor="end">{int(peak * frac)}</text>'
        )
    label_every = max(1, len(days) // 8)
    points = []
    for i, d in enumerate(days):
        x = LEFT + i * step + (step - bar) / 2
        h = inner_h * d["visits"] / peak
        title = f"{d['day'].isoformat()}：{_('检查')} {d['visits']}，{_('隐患')} {d['findings']}"
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{TOP + inner_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}">'
            f"<title>{escape(title)}</title></rect>"
        )
        points.append(f"{LEFT + i * step + step / 2:.1f},{y(d['findings']):.1f}")
        if i % label_every == 0 or i == len(days) - 1:
            parts.append(
                f'<text class="axis" x="{LEFT + i * step + step / 2:.1f}" y="{HEIGHT - 6}" '
                f'text-anchor="middle">{d["day"].month}/{d["day"].day}</text>'
            )
    parts.append(f'<polyline class="line" points="{" ".join(points)}"/>')
    parts.append("</svg>")
    return "".join(parts)
