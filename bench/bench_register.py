"""Import 100,000 enterprises into fresh workspaces; print time and peak memory.

Usage: .venv/bin/python bench/bench_register.py [ROWS] [--rounds N] [--side-by-side [--baseline DIR]]

Side by side (issue 15): the GB18030 CSV through ``inspector-app enterprises import`` (the command a
user runs, a fresh process each) against the plain reference (bench_import_reference.py: csv
module, check character, phone check, one WAL transaction with an FTS5 trigram index), alternating
in the same run; then the re-import of the unchanged file; then what the app's storage worker does
next: fill the pinyin index an import leaves for later (migration 0008), step by step. Target:
import within 1.5x of the reference (median of the per-round ratios), peak RSS under 300 MB. Each
round also runs the reference indexing the app's whole search text (with pinyin, twice as long).
--baseline DIR also runs the same command from another source tree in each round
(``git archive COMMIT | tar -x -C DIR``).
The children run with compiled bytecode, as an installed app does (pip and the installer ship .pyc):
a PYTHONDONTWRITEBYTECODE in the environment would otherwise make every run compile the whole
import graph (~1.8 s of CPU here), which no user pays. Their bytecode goes to a scratch cache
(PYTHONPYCACHEPREFIX) filled by one uncounted warm-up run of each command.
Without --side-by-side: XLSX and CSV through RegisterService in a child process each (its peak RSS
is its own: ru_maxrss never goes down).
"""

from __future__ import annotations

import csv
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from inspector_app.domain.credit_code import complete

ROOT = str(Path(__file__).resolve().parents[1])
HEADER = [
    "企业名称",
    "统一社会信用代码",
    "经营地址",
    "所属网格",
    "企业类别",
    "行业",
    "企业规模",
    "法定代表人",
    "联系人",
    "联系电话",
    "员工总数",
    "到岗人数",
    "复工状态",
    "负责队伍",
]
PLACES = ["宝龙", "龙岗", "坪地", "横岗", "园山", "布吉", "南湾", "坂田", "吉华", "平湖"]
TRADES = ["精密五金", "电子科技", "塑胶制品", "服装", "包装材料", "模具", "光电", "食品", "印刷", "家具"]
STATUSES = ["未复工", "已备案", "核查中", "核查通过", "已复工"]


def make_rows(n: int, seed: int = 7) -> list[list[object]]:
    rnd = random.Random(seed)
    rows: list[list[object]] = []
    for i in range(n):
        code = complete(f"9144030{i:010d}")
        place, trade = rnd.choice(PLACES), rnd.choice(TRADES)
        total = rnd.randint(5, 500)
        rows.append(
            [
                f"深圳市{place}{trade}有限公司{i}",
                code,
                f"龙岗区{place}街道{place}社区工业路{i % 300}号",
                f"{place}{i % 3 + 1}网格",
                rnd.choice(["规上工业企业", "规下企业", "小作坊", "小档口"]),
                trade,
                "规上",
                "张三",
                "李四",
                f"139{i:08d}",
                float(total),
                float(rnd.randint(0, total)),
                rnd.choice(STATUSES),
                f"第{i % 14 + 1}检查组",
            ]
        )
    return rows


def write_files(rows: list[list[object]], folder: Path) -> tuple[Path, Path]:
    xlsx, csv_path = folder / "register.xlsx", folder / "register.csv"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业名单")
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(xlsx)
    with csv_path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return xlsx, csv_path


def child(path: str, workspace: str) -> None:
    from inspector_app.services.register import RegisterService
    from inspector_app.store.workspace import Workspace

    ws = Workspace.open(workspace)
    start, cpu0 = time.perf_counter(), time.process_time()
    report = RegisterService(ws).import_file(path)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu0
    # Re-import: every row is looked up and compared, none rewritten.
    start2 = time.perf_counter()
    again = RegisterService(ws).import_file(path)
    elapsed2 = time.perf_counter() - start2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{Path(path).suffix[1:]:>4}: {report.inserted} rows in {elapsed:.2f} s (CPU {cpu:.2f} s); "
        f"re-import ({again.unchanged} unchanged) {elapsed2:.2f} s; peak RSS {peak_mb:.0f} MB"
    )
    ws.close()


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each child, by label
ENV: dict[str, str] = dict(os.environ)  # the children's environment (side_by_side sets the bytecode cache)


def catch_up(workspace: str) -> None:
    """What the app's storage worker does after an import: index the pending pinyin, step by step."""
    from inspector_app.services.register import RegisterService
    from inspector_app.store.workspace import Workspace

    ws = Workspace.open(workspace, create=False)
    start, steps = time.perf_counter(), 1
    service = RegisterService(ws)
    while service.index_pending_pinyin():
        steps += 1
    print(f"CATCH-UP {time.perf_counter() - start:.3f} {steps}")
    ws.close()


def timed_child(cmd: list[str], label: str = "", cwd: str | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stdout) of a child process, measured from outside.

    Its CPU time is kept in CPU[label]: on a shared machine the wall time of a run depends on the
    others' load, its CPU time much less."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd or ROOT,
                            env=ENV)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd} failed: {err[-2000:]}")
    CPU.setdefault(label, []).append(usage.ru_utime + usage.ru_stime)
    return elapsed, usage.ru_maxrss / 1024, out


def side_by_side(csv_path: Path, folder: Path, rounds: int, baseline: str | None = None) -> None:
    app = [sys.executable, "-m", "inspector_app.cli"]
    reference = [sys.executable, str(Path(__file__).with_name("bench_import_reference.py"))]
    ref_t, imp_t, again_t, ratios, again_ratios = [], [], [], [], []
    ref_mb, imp_mb, again_mb = [], [], []
    pinyin_t, pinyin_ratios = [], []
    catch_up: list[float] = []
    base_t, base_again_t, base_ratios, base_again_ratios = [], [], [], []
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    small = folder / "warm-up.csv"
    small.write_text("\n".join(csv_path.read_text(encoding="gb18030").splitlines()[:50]), encoding="gb18030")
    warm = [[*reference, str(small), str(folder / "warm.sqlite")],
            [*reference, str(small), str(folder / "warm-pinyin.sqlite"), "--app-search-text"],
            [*app, "--workspace", str(folder / "ws-warm"), "enterprises", "import", str(small)]]
    if baseline:
        warm.append(["env", f"PYTHONPATH={baseline}", *app, "--workspace", str(folder / "ws-warm-base"),
                     "enterprises", "import", str(small)])
    for cmd in warm:
        subprocess.run(cmd, check=True, capture_output=True, env=ENV, cwd=baseline if "env" in cmd else ROOT)
    for r in range(rounds):
        t, mb, _ = timed_child([*reference, str(csv_path), str(folder / f"ref{r}.sqlite")], "reference")
        ref_t.append(t)
        ref_mb.append(mb)
        t, _mb, _ = timed_child([*reference, str(csv_path), str(folder / f"ref-pinyin{r}.sqlite"),
                                 "--app-search-text"], "reference + pinyin")
        pinyin_t.append(t)
        pinyin_ratios.append(t / ref_t[-1])
        if baseline:
            # The same command from another source tree (e.g. `git archive <commit>`), same venv; run
            # from that tree, since `python -m` puts the working directory first on sys.path.
            base_app = ["env", f"PYTHONPATH={baseline}", *app, "--workspace", str(folder / f"ws-base{r}")]
            t, _mb, _ = timed_child([*base_app, "enterprises", "import", str(csv_path)], "baseline import",
                                    baseline)
            base_t.append(t)
            base_ratios.append(t / ref_t[-1])
            t, _mb, _ = timed_child([*base_app, "enterprises", "import", str(csv_path)], "baseline re-import",
                                    baseline)
            base_again_t.append(t)
            base_again_ratios.append(t / ref_t[-1])
            print(f"  round {r + 1}: baseline import {base_t[-1]:.2f} s ({base_ratios[-1]:.2f}x), "
                  f"re-import {base_again_t[-1]:.2f} s ({base_again_ratios[-1]:.2f}x)", flush=True)
        ws = str(folder / f"ws-cli{r}")
        t, mb, out = timed_child([*app, "--workspace", ws, "enterprises", "import", str(csv_path)], "import")
        imp_t.append(t)
        imp_mb.append(mb)
        ratios.append(imp_t[-1] / ref_t[-1])
        cmd = [*app, "--workspace", ws, "enterprises", "import", str(csv_path)]
        t, mb, out2 = timed_child(cmd, "re-import")
        again_t.append(t)
        again_mb.append(mb)
        again_ratios.append(again_t[-1] / ref_t[-1])
        _t, _mb, out3 = timed_child([sys.executable, __file__, "--catch-up", ws], "pinyin catch-up")
        catch_up.append(float(out3.split()[1]))
        print(f"  round {r + 1}: reference {ref_t[-1]:.2f} s (with pinyin {pinyin_t[-1]:.2f} s), "
              f"import {imp_t[-1]:.2f} s "
              f"({ratios[-1]:.2f}x), re-import {again_t[-1]:.2f} s ({again_ratios[-1]:.2f}x), "
              f"pinyin catch-up {catch_up[-1]:.2f} s"
              f"   [{out.strip()[:40]} | {out2.strip()[:40]}]", flush=True)
    med = statistics.median
    print(f"CSV side by side, median of {rounds} rounds (wall time of the whole process):")
    print(f"  plain reference       {med(ref_t):6.2f} s   peak RSS {max(ref_mb):4.0f} MB")
    print(f"  reference + pinyin    {med(pinyin_t):6.2f} s   {'':16} ratio {med(pinyin_ratios):.2f}x "
          "(the app's search text indexed)")
    print(f"  enterprises import    {med(imp_t):6.2f} s   peak RSS {max(imp_mb):4.0f} MB   "
          f"ratio {med(ratios):.2f}x (target <= 1.5x, < 300 MB)")
    print(f"  re-import, unchanged  {med(again_t):6.2f} s   peak RSS {max(again_mb):4.0f} MB   "
          f"ratio {med(again_ratios):.2f}x")
    print(f"  then, on the storage worker: the pinyin index filled in {med(catch_up):.2f} s "
          "(search finds every row meanwhile, the pending ones by a scan)")
    if baseline:
        print(f"  baseline ({baseline}): import {med(base_t):6.2f} s, ratio {med(base_ratios):.2f}x; "
              f"re-import {med(base_again_t):6.2f} s, ratio {med(base_again_ratios):.2f}x")
    ref_cpu = med(CPU["reference"])
    print("CPU time (user + system), median; ratio to the reference's:")
    for label, values in CPU.items():
        print(f"  {label:<20} {med(values):6.2f} s   {med(values) / ref_cpu:5.2f}x")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--catch-up":
        catch_up(sys.argv[2])
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rounds = 3
    if "--rounds" in sys.argv:
        rounds = int(sys.argv[sys.argv.index("--rounds") + 1])
        args.remove(str(rounds))
    baseline = None
    if "--baseline" in sys.argv:
        baseline = sys.argv[sys.argv.index("--baseline") + 1]
        args.remove(baseline)
    n = int(args[0]) if args else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        xlsx, csv_path = write_files(make_rows(n), folder)
        print(
            f"generated {n} rows in {time.perf_counter() - t:.1f} s "
            f"(xlsx {xlsx.stat().st_size / 1e6:.1f} MB, csv {csv_path.stat().st_size / 1e6:.1f} MB)"
        )
        if "--side-by-side" in sys.argv:
            side_by_side(csv_path, folder, rounds, baseline)
            return
        for path in (xlsx, csv_path):
            ws_dir = folder / f"ws-{path.suffix[1:]}"
            subprocess.run([sys.executable, __file__, "--child", str(path), str(ws_dir)], check=True)


if __name__ == "__main__":
    main()
