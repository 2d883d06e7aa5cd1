"""``inspector-central`` whose push exits the process right before it commits: the server the
"killed before commit" test kills. Test code only: the product carries no crash switch.

Run as ``python -m tests.support.crashing_central [inspector-central arguments]`` from the repository
root (``ProcessServer(..., module=...)``). It serves with one worker, in this process, so the patch
below is what answers every push.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from inspector_app.central.api.routes import sync as sync_routes

# Exit status of the crash, distinct from any real failure.
CRASH_STATUS = 70

_record_clock = sync_routes._record_clock


def _record_clock_then_die(conn: Any, principal: Any, skew: float) -> None:
    """The push's last write inside its transaction; the process dies before the commit."""
    _record_clock(conn, principal, skew)
    os._exit(CRASH_STATUS)


if __name__ == "__main__":
    sync_routes._record_clock = _record_clock_then_die  # type: ignore[assignment]
    from inspector_app.central.cli import main

    sys.exit(main())
