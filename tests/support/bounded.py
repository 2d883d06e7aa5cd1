"""Run a hostile input in a child process held to a memory and time limit, and measure it.

A bomb that is not defused must fail its test, not take the machine down with it: the child gets
an address-space limit (a MemoryError there, not an OOM kill here) and a timeout, and reports its
own peak memory. Tests use it to say "this input is refused in bounded time and memory".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PRELUDE = """\
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
def report(**values):
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
    with open("/proc/self/status") as fh:
        hwm = next(line for line in fh if line.startswith("VmHWM:"))
    values["peak_mb"] = int(hwm.split()[1]) / 1024
    print("@@" + json.dumps(values, ensure_ascii=False, default=str))
"""


@dataclass(frozen=True)
class Outcome:
    returncode: int | None  # None: killed at the timeout
    seconds: float
    values: dict[str, object]  # what the child passed to report(), with its peak_mb
    stdout: str
    stderr: str

    @property
    def peak_mb(self) -> float:
        return float(self.values.get("peak_mb", -1))  # type: ignore[arg-type]


def run_bounded(code: str, *, memory_mb: int = 600, seconds: float = 60, cwd: Path | None = None) -> Outcome:
    """Run ``code`` (which calls ``report(...)`` with what it found) under the limits."""
    source = _PRELUDE.format(limit=memory_mb * 1024 * 1024) + textwrap.dedent(code)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", source], cwd=cwd or ROOT, capture_output=True, text=True,
            timeout=seconds, check=False, env=env,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        return Outcome(None, time.perf_counter() - start, {}, out, "timed out")
    values: dict[str, object] = {}
    for line in done.stdout.splitlines():
        if line.startswith("@@"):
            values = json.loads(line[2:])
    return Outcome(done.returncode, time.perf_counter() - start, values, done.stdout, done.stderr)
