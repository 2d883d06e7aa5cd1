"""GUI figures (a script that prints, not a timed test).

  1. Start-up to an interactive main window on a 20,000-enterprise workspace, as a ratio to a bare
     PySide6 window started the same way (a fresh interpreter each), in the same run. Target ≤ 1.5×.
     "Interactive": the shown main window has been painted once and, after that, a zero-timer
     callback has run (the event loop answers); timed from just before the process is started to
     the line it prints. The app prints it through its test script (``{"wait": "painted"}``).
  2. A keystroke in the 今日任务 search over 100,000 enterprises, to the window repainted with the
     result (the search alone is printed too: the repaint was most of it), and the GUI thread's
     CPU for it (which the shared machine's load does not stretch). Target p95 < 20 ms (issue 15);
     and how long the 100,000-row list takes to fill once the workspace is open (--quick: 20,000
     rows, the issue's "今日任务 of 20,000 under 1 s").
  3. Opening a 120-item checklist, to the first section shown and focused. Target < 200 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_ui.py [--quick] [--startup | --keystrokes]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.gui import BADGES, FIXTURE_FORMS, seed  # noqa: E402

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel

class FirstPaint(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            QTimer.singleShot(0, lambda: (print("SHOWN", flush=True), app.quit()))
        return False

app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1280, 820)
hook = FirstPaint(); w.installEventFilter(hook)
w.show()
app.exec()
"""

# What has to happen before the first paint besides the window: the CJK font and the translator.
BEFORE_PAINT = """
import sys, time
from inspector_app.ui.app import load_fonts, make_application
from inspector_app.ui.i18n import Translations
from inspector_app.ui.style import STYLESHEET
qapp = make_application(sys.argv[:1])
t0 = time.perf_counter(); load_fonts(); t1 = time.perf_counter()
Translations().install("en"); t2 = time.perf_counter()
Translations().install("zh"); t3 = time.perf_counter()
qapp.setStyleSheet(STYLESHEET); t4 = time.perf_counter()
print("FONTS", (t1 - t0) * 1000, "EN", (t2 - t1) * 1000, "ZH", (t3 - t2) * 1000, "STYLE", (t4 - t3) * 1000)
"""


def timed_lines(cmd: list[str], env: dict[str, str], marks: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    seen: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        word = line.split()[0] if line.strip() else ""
        if word in marks and word not in seen:
            seen[word] = time.perf_counter() - start
        if len(seen) == len(marks):
            break
    proc.kill()
    proc.wait()
    return seen


def bench_startup(tmp: Path, rounds: int) -> None:
    ws = tmp / "ws20k"
    seed(ws, extra=20_000 - 5)
    script = tmp / "startup.json"
    script.write_text(json.dumps([{"wait": "painted"}, {"say": "SHOWN"}, {"wait": "workspace"},
                                  {"wait": "worklist"}, {"say": "LOADED"}, {"quit": True}]),
                      encoding="utf-8")
    env = dict(os.environ, INSPECTOR_TEST_SCRIPT=str(script), INSPECTOR_FORMS_DIR=str(FIXTURE_FORMS),
               XDG_CONFIG_HOME=str(tmp / "config"))
    # A user's second start finds the .pyc files written by the first: let the warm-up write them.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bare, app, loaded, pairs = [], [], [], []
    for _ in range(2):  # warm the file cache and the .pyc files: every round then starts alike
        timed_lines([sys.executable, "-c", BARE], env, ["SHOWN"])
        timed_lines([sys.executable, "-m", "tests.support.scripted", "--workspace", str(ws)], env, ["SHOWN"])
    for _ in range(rounds):
        bare.append(timed_lines([sys.executable, "-c", BARE], env, ["SHOWN"])["SHOWN"])
        got = timed_lines([sys.executable, "-m", "tests.support.scripted", "--workspace", str(ws)], env,
                          ["SHOWN", "LOADED"])
        app.append(got["SHOWN"])
        loaded.append(got["LOADED"])
        pairs.append(app[-1] / bare[-1])  # side by side: the machine's pace drifts between rounds
    b, a, lo = statistics.median(bare), statistics.median(app), statistics.median(loaded)
    print(f"start-up, 20,000 enterprises (median of {rounds}; each round a bare start, then the app's):")
    print(f"  bare PySide6 window shown          {b * 1000:7.0f} ms")
    print(f"  app main window shown, interactive {a * 1000:7.0f} ms   ratio {a / b:.2f}x (target <= 1.5x)")
    print(f"  ratio round by round: median {statistics.median(pairs):.2f}x, "
          f"best {min(pairs):.2f}x, worst {max(pairs):.2f}x")
    print(f"  ... and 今日任务 filled (worker)    {lo * 1000:7.0f} ms")
    out = subprocess.run([sys.executable, "-c", BEFORE_PAINT], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    f = dict(zip(out[::2], (float(v) for v in out[1::2]), strict=True))
    print(f"  before the first paint: CJK font {f['FONTS']:.1f} ms, translator en {f['EN']:.1f} ms / "
          f"zh {f['ZH']:.1f} ms, style sheet {f['STYLE']:.1f} ms")


def wait(cond: Any, timeout: float = 120.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not cond():
        QApplication.processEvents()
        if time.monotonic() > end:
            raise TimeoutError
        time.sleep(0.0005)


def make_window(ws: Path) -> Any:
    from PySide6.QtCore import QSettings

    from inspector_app.ui.app import Application, load_fonts, make_application
    from inspector_app.ui.style import STYLESHEET

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(ws.parent / "settings"))
    qapp = make_application(sys.argv[:1])
    load_fonts()
    qapp.setStyleSheet(STYLESHEET)
    app = Application(type("A", (), {"lang": "zh", "workspace": str(ws)})(), qapp)  # type: ignore[arg-type]
    window = app.build_window()
    window.resize(1280, 820)
    window.show()
    opened: list[Any] = []
    window.sig_workspace_opened.connect(opened.append)
    window.open_workspace(ws)
    wait(lambda: bool(opened))
    return app, window


class Paints:
    """When the window last painted anything (an event filter on the application)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        paint = QEvent.Type.Paint

        class Filter(QObject):
            def eventFilter(inner, obj: Any, event: Any) -> bool:
                if event.type() == paint:
                    self.last = time.perf_counter()
                return False

        self.last = 0.0
        self.filter = Filter()


def settle() -> None:
    """Run the event loop until a turn paints nothing: the repaint a keystroke caused is done."""
    from PySide6.QtWidgets import QApplication

    for _ in range(20):
        before = time.perf_counter()
        QApplication.processEvents()
        QApplication.sendPostedEvents()
        if time.perf_counter() - before < 0.0003:
            return


def bench_keystrokes(tmp: Path, size: int) -> None:
    from PySide6.QtWidgets import QApplication

    ws = tmp / "ws100k"
    t0 = time.perf_counter()
    seed(ws, extra=size - 5)
    print(f"keystrokes: workspace of {size:,} enterprises seeded in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    app, window = make_window(ws)
    opened = time.perf_counter()
    page = window.worklist
    wait(lambda: page.model.rowCount() == size)
    filled = time.perf_counter()
    print(f"  今日任务 of {size:,} filled {(filled - opened) * 1000:.0f} ms after the workspace opened "
          f"({(filled - t0) * 1000:.0f} ms after the window was asked for; target < 1 s)")
    wait(lambda: page._data is not None and page._data.texts is not None)
    indexed = time.perf_counter() - opened
    print(f"  ... its search index ready {indexed * 1000:.0f} ms after the workspace opened")
    # and the idle work after it (drawing ahead the characters people will type) done: typing is
    # timed at its steady pace, as minutes into a day's work
    wait(lambda: not page._glyphs_to_warm)
    # and the pinyin index of the bulk-written register filled (ui/search_upkeep.py, ~2 s)
    wait(lambda: window.pinyin_indexer is not None and not window.pinyin_indexer.running)
    filled_pinyin = (time.perf_counter() - opened) * 1000
    print(f"  ... the pinyin index filled {filled_pinyin:.0f} ms after the workspace opened")
    settle()
    done: list[float] = []
    page.sig_filtered.connect(lambda: done.append(time.perf_counter()))
    paints = Paints()
    QApplication.instance().installEventFilter(paints.filter)
    sequences = ["深圳市测试第1", "宝龙", "bljd", "测试路9", "91440300", "同乐", "99999", "sz"]
    filtered: list[float] = []  # to the search's result handed to the view
    painted: list[float] = []  # to the window repainted with it: what the user waits for
    # the GUI thread's CPU time for the same (search and repaint): what the machine's load, which
    # stretches the wall clock while the process waits for a core, does not inflate
    worked: list[float] = []
    for text in sequences:
        keys = list(text) + [""] * len(text)  # type each character, then backspace them all
        for ch in keys:
            done.clear()
            paints.last = 0.0
            cpu = time.thread_time()
            start = time.perf_counter()
            if ch:
                page.search.insert(ch)
            else:
                page.search.backspace()
            wait(lambda: bool(done))
            settle()
            worked.append(time.thread_time() - cpu)
            filtered.append(done[0] - start)
            painted.append(max(done[0], paints.last) - start)
    QApplication.instance().removeEventFilter(paints.filter)
    for name, times in (("to the result", filtered), ("to the window repainted", painted),
                        ("GUI thread CPU", worked)):
        times.sort()
        p50 = times[len(times) // 2] * 1000
        p95 = times[int(len(times) * 0.95)] * 1000
        print(f"  {len(times)} keystrokes over {size:,} rows, {name:23}: p50 {p50:5.1f} ms, "
              f"p95 {p95:5.1f} ms, max {times[-1] * 1000:.1f} ms")
    print("  (target: p95 to the window repainted < 20 ms, issue 15)")
    app.shutdown()
    window.close()


FORM_HEAD = """code: bench-120
version: "1"
title: 120项检查表
kind: inspection
applies_to: ["*"]
sections:
"""


def write_120_form(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [FORM_HEAD]
    n = 0
    for s in range(8):
        lines.append(f"  - key: s{s}\n    title: 第{s + 1}部分检查内容\n    items:\n")
        for _ in range(15):
            kind = ("compliance", "compliance", "compliance", "integer", "text")[n % 5]
            extra = "\n        required: true" if kind == "compliance" else ""
            lines.append(f"      - key: i{n}\n        type: {kind}\n        label: 第{n + 1}项检查内容，"
                         f"应符合有关规定要求{extra}\n")
            n += 1
    lines.append("outcome:\n  default: 通过\n")
    (folder / "bench-120.yaml").write_text("".join(lines), encoding="utf-8")
    for f in FIXTURE_FORMS.glob("*.yaml"):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")


def bench_open_checklist(tmp: Path, rounds: int) -> None:
    forms = tmp / "forms120"
    write_120_form(forms)
    os.environ["INSPECTOR_FORMS_DIR"] = str(forms)
    ws = tmp / "ws-form"
    codes = seed(ws)
    app, window = make_window(ws)
    ids: list[str] = []
    for i in range(rounds):
        code = codes[i % len(codes)]
        window.ctx.op(lambda job, c=code: job.services.visits.start(c, "bench-120", list(BADGES)),
                      lambda r: ids.append(r[0]))
    wait(lambda: len(ids) == rounds)
    page = window.visit
    loaded: list[int] = []
    page.sig_loaded.connect(lambda: loaded.append(1))
    times = []
    for vid in ids:
        loaded.clear()
        start = time.perf_counter()
        window.show_visit(vid)
        wait(lambda: bool(loaded))
        times.append(time.perf_counter() - start)
    print(f"opening a 120-item checklist (8 sections): median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {rounds} (target < 200 ms)")
    app.shutdown()
    window.close()


def main() -> None:
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as d:
        tmp = Path(d)
        if "--keystrokes" not in sys.argv:
            bench_startup(tmp, 7 if quick else 15)
        if "--startup" in sys.argv:
            return
        if "--keystrokes" in sys.argv:
            bench_keystrokes(tmp, 100_000)
            return
        bench_open_checklist(tmp, 5)
        bench_keystrokes(tmp, 20_000 if quick else 100_000)


if __name__ == "__main__":
    main()
