"""How the demo answers a form: plausible values, staff figures that agree with each other, the
chosen items failing (so they become findings)."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from typing import Any

from inspector_app.checklist.model import Form, ItemType
from inspector_app.demo.images import scene_jpeg, signature_png
from inspector_app.demo.seed import AREAS, VENUE_TYPES
from inspector_app.domain.clock import Clock, local_date
from inspector_app.services.errors import ServiceError
from inspector_app.services.visits import VisitService


def answer_all(
    *,
    visits: VisitService,
    vid: str,
    form: Form,
    failing: set[str],
    rnd: random.Random,
    clock: Clock,
    category: str = "",
) -> None:
    """Answer every item of ``form`` as an inspector would, the ``failing`` ones as findings."""
    given: dict[str, Any] = {}  # numbers answered so far, so the staff figures agree
    for key in form.eval_order or tuple(form.items):
        item = form.items[key]
        if item.computed:
            continue
        value = demo_value(item, key in failing, rnd, clock)
        total = int(given.get("staff_total") or 0)
        back = int(given.get("staff_returned") or 0)
        if key == "staff_returned" and total:
            value = int(total * rnd.uniform(0.6, 0.97))
        elif key in ("staff_outside_city", "staff_key_regions", "staff_isolated") and back:
            share = {"staff_outside_city": 0.35, "staff_key_regions": 0.05, "staff_isolated": 0.03}[key]
            value = int(back * share * rnd.uniform(0.5, 1.0))
        elif key == "masks_count" and back:
            value = back * 2 * rnd.randint(2, 10)
        if key == "venue_type" and category in VENUE_TYPES:
            value = VENUE_TYPES[category]
        elif key == "floor_area" and category in AREAS:
            value = str(rnd.randint(*AREAS[category]))
        elif key == "shop_sleepers":  # one night watch at most, unless the tick list says otherwise
            value = 3 if "shop_problems" in failing else rnd.randint(0, 1)
        elif key == "floors":  # a small venue: one to three floors (derived: no new draw)
            value = 1 + int(value) % 3
        elif key == "staff_on_site" and form.code == "three-small":  # a few people, not dozens
            value = 2 + int(value) % 12
        elif key in ("staff_total", "extinguisher_count"):
            value = rnd.randint(30, 400) if key == "staff_total" else rnd.randint(4, 24)
        if item.type is ItemType.SIGNATURE:
            _try(visits.answer_signature, vid, key, signature_png("signed"))
        elif item.type is ItemType.PHOTOS:
            if item.required:
                with contextlib.suppress(ServiceError):
                    visits.add_photo(vid, scene_jpeg(rnd), item_key=key, name="现场照片.jpg")
        elif value is not None:
            _try(visits.answer, vid, key, value)
            given[key] = value

def demo_value(item: Any, bad: bool, rnd: random.Random, clock: Clock) -> Any:
    """A plausible answer to ``item``; ``bad`` gives the answer that makes it a finding."""
    kind = item.type
    if kind is ItemType.COMPLIANCE:
        return "N" if bad else "Y"
    if kind is ItemType.YESNO:
        if item.bad_answer is None:
            return False
        return item.bad_answer if bad else not item.bad_answer
    if kind in {ItemType.INTEGER, ItemType.DECIMAL}:
        low = int(item.min) if item.min is not None else 0
        high = int(item.max) if item.max is not None else max(low, 50)
        number = rnd.randint(low, max(low, min(high, low + 50)))
        return number if kind is ItemType.INTEGER else str(number)
    if kind is ItemType.TEXT:
        return "现场已核实" if (item.max_length or 50) >= 5 else "是"
    if kind is ItemType.CHOICE:
        return item.choices[0].value if item.choices else None
    if kind is ItemType.MULTI:
        if item.tick_list:
            return [item.choices[0].value] if bad and item.choices else []
        return [item.choices[0].value] if item.choices else []
    if kind is ItemType.DATE:
        return local_date(clock()).isoformat()
    return None  # photos: a demo has none




def _try(action: Callable[..., object], *args: object) -> None:
    # An item that is not relevant for this enterprise refuses an answer; the demo just moves on.
    with contextlib.suppress(ServiceError):
        action(*args)
