"""Figures for the checklist engine (a plain script, not a timed test).

Targets: load and validate a 120-item checklist < 50 ms; one evaluate on 120 items well under 10 ms
(the GUI re-evaluates after every answer).

    .venv/bin/python bench/bench_checklist.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inspector_app.checklist import FormLibrary, default_forms_dir, evaluate, load_form

ITEMS = 120


def synthetic_form(items: int = ITEMS) -> str:
    """A form shaped like the real ones: compliance items with legal basis, numbers with
    constraints, relevance chains, a computed value and a tick list."""
    lines = [
        "code: bench-form",
        'version: "1.0"',
        "kind: inspection",
        "title: {zh: 性能测试检查表, en: Benchmark form}",
        "applies_to: [规上工业企业]",
        "sections:",
    ]
    per_section = 20
    for s in range(items // per_section):
        lines += [f"  - key: s{s}", f"    title: {{zh: 第{s + 1}部分, en: Part {s + 1}}}", "    items:"]
        for j in range(per_section):
            i = s * per_section + j
            kind = i % 6
            lines += [f"      - key: item_{i}"]
            if kind == 1:
                lines += [
                    "        type: integer",
                    f"        label: {{zh: 第{i}项人数, en: Count {i}}}",
                    "        unit: 人",
                    "        min: 0",
                    "        max: 10000",
                    f"        constraint: item_{i - 1} != 'N' or value == 0",
                    "        message: {zh: 不符合时人数应为0, en: Zero when not compliant}",
                ]
            elif kind == 3:
                lines += [
                    "        type: decimal",
                    f"        label: {{zh: 第{i}项比例, en: Ratio {i}}}",
                    "        places: 1",
                    f"        compute: round(item_{i - 2} / 3, 1)",
                ]
            elif kind == 5:
                lines += [
                    "        type: multi",
                    "        tick_list: true",
                    f"        label: {{zh: 第{i}项存在问题, en: Problems {i}}}",
                    "        deadline_days: 3",
                    "        choices:",
                    "          - {value: a, label: {zh: 问题甲, en: Problem A}}",
                    "          - {value: b, label: {zh: 问题乙, en: Problem B}, severity: 重大}",
                ]
            else:
                lines += [
                    "        type: compliance",
                    f"        label: {{zh: 第{i}项检查内容是否符合要求, en: Requirement {i}}}",
                    "        required: true",
                    "        severity: " + ("重大" if i % 10 == 0 else "一般"),
                    "        rectification: 立即整改，建立台账并落实责任人",
                    "        deadline_days: 7",
                    "        legal_basis: 《中华人民共和国安全生产法》第四十一条",
                ]
                if i % 4 == 2:
                    lines.append(f"        relevant: item_{i - 1} is None or item_{i - 1} > 0")
    lines += [
        "outcome:",
        "  rules:",
        "    - {when: major_count > 0, outcome: 责令停产整顿}",
        "    - {when: finding_count > 0, outcome: 限期整改}",
        "  default: 通过",
    ]
    return "\n".join(lines) + "\n"


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(synthetic_form(), encoding="utf-8")
        form = load_form(path)
        lines = path.read_text(encoding="utf-8").count("\n")
        med, best = timed(lambda: load_form(path), 20)
        print(
            f"load+validate {len(form.items)} items ({lines} lines): median {med:.1f} ms, best {best:.1f} ms"
        )

    answers: dict[str, object] = {}
    for key, item in form.items.items():
        if item.type.value == "compliance":
            answers[key] = "N" if key.endswith("0") else "Y"
        elif item.type.value == "integer":
            answers[key] = 12
        elif item.tick_list:
            answers[key] = ["a", "b"]
    result = evaluate(form, answers)
    med, best = timed(lambda: evaluate(form, answers), 200)
    print(
        f"evaluate {len(form.items)} items: median {med:.2f} ms, best {best:.2f} ms "
        f"({len(result.visible)} visible, {len(result.findings)} findings, outcome {result.outcome})"
    )
    med, best = timed(lambda: evaluate(form, {}), 200)
    print(f"evaluate {len(form.items)} items, no answers: median {med:.2f} ms")

    folder = default_forms_dir()
    med, best = timed(lambda: FormLibrary.load(folder), 5)
    library = FormLibrary.load(folder)
    total = sum(len(f.items) for f in library.all())
    print(f"load the shipped library ({len(library.all())} forms, {total} items): median {med:.1f} ms")


if __name__ == "__main__":
    main()
