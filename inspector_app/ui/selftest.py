"""``inspector-app --self-test``: is this installation whole? Works the same from source and frozen.

Office IT runs it after copying the app to a laptop. Each check prints one line in Chinese and
English ("✔ …" or "✘ …: reason"); the exit status is 0 when every check passed, 1 otherwise, and
the last line names the failed checks. It never touches the user's workspace: everything happens in
a scratch folder that is deleted afterwards.

Qt is imported only inside the Qt checks, after ``QT_QPA_PLATFORM=offscreen`` is set, so the
self-test runs on a server, over SSH or in CI without a display.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import pkgutil
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from inspector_app import paths

DIST_NAME = "inspector-app"
EXIT_OK = 0
EXIT_FAILED = 1

# Text drawn into the PDF and read back: everyday report words, all inside the GB2312 font subset.
PDF_SAMPLE = "现场检查记录：消防通道畅通，限期整改。"
# Modules that only run on the central server: neither shipped in the laptop bundle nor imported here.
SKIPPED_PACKAGES = ("inspector_app.central",)

_IMPORTED_AT = time.perf_counter()


def app_version() -> str:
    return paths.app_version()


class CheckFailed(Exception):
    """A check found a problem; the message says what, in words for IT staff."""


@dataclass
class _Scratch:
    root: Path
    services: Any = None  # AppServices once the workspace check passed
    forms: Any = None  # FormLibrary once the checklist check passed
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    zh: str
    en: str
    run: Callable[[_Scratch], str]  # returns the detail shown after the name

    @property
    def name(self) -> str:
        return f"{self.zh} / {self.en}"


# --------------------------------------------------------------------------------------------
# The checks


def _check_version(_: _Scratch) -> str:
    version = app_version()
    if version == "unknown":
        raise CheckFailed(f"找不到 {DIST_NAME} 的版本信息 / package metadata missing")
    frozen = "frozen build" if getattr(sys, "frozen", False) else "Python " + sys.version.split()[0]
    return f"{version} ({frozen}, {sys.platform})"


def _check_resources(_: _Scratch) -> str:
    from inspector_app.paths import fonts_dir, resources_dir

    fonts = fonts_dir()
    needed = ("uming-gb.ttf", "DroidSansFallbackFull.ttf")
    missing = [name for name in needed if not (fonts / name).is_file()]
    if missing:
        raise CheckFailed(f"{fonts} 缺少字体 / missing fonts: {', '.join(missing)}")
    return str(resources_dir())


def _check_modules(_: _Scratch) -> str:
    """Every module of the package imports: a frozen build that missed a dependency fails here."""
    import inspector_app

    names = sorted(_module_names(inspector_app.__path__, "inspector_app."))
    failed: list[str] = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    if failed:
        raise CheckFailed("无法导入 / cannot import: " + "; ".join(failed[:5]))
    return f"{len(names)} 个模块 / modules"


def _module_names(path: Any, prefix: str) -> Iterator[str]:
    for info in pkgutil.iter_modules(path, prefix):
        if info.name.startswith(SKIPPED_PACKAGES) or info.name.endswith(".__main__"):
            continue
        yield info.name
        if info.ispkg:
            package = importlib.import_module(info.name)
            yield from _module_names(package.__path__, info.name + ".")


def _check_checklists(state: _Scratch) -> str:
    from inspector_app.checklist import FormError, FormLibrary, default_forms_dir

    folder = default_forms_dir()
    try:
        library = FormLibrary.load(folder, strict=True)
    except FormError as exc:
        raise CheckFailed(f"{folder}: {exc}") from exc
    if not library.forms:
        raise CheckFailed(f"{folder} 中没有检查表 / no checklist in {folder}")
    state.forms = library
    codes = ", ".join(f"{f.code}@{f.version}" for f in library.forms)
    return f"{len(library.forms)} 张 / checklists ({codes})"


def _check_workspace(state: _Scratch) -> str:
    from inspector_app.services.context import AppServices
    from inspector_app.store import migrate

    if state.forms is None:
        raise CheckFailed("检查表未加载 / checklists did not load")
    root = state.root / "workspace"
    services = AppServices.open(root, create=True)
    state.services = services
    db = services.workspace.db_path
    current = migrate.schema_state(db).current
    head = migrate.head_revision()
    if current != head:
        raise CheckFailed(f"数据库版本 {current}，应为 {head} / schema {current}, expected {head}")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        (result,) = con.execute("PRAGMA integrity_check").fetchone()
    finally:
        con.close()
    if result != "ok":
        raise CheckFailed(f"integrity_check: {result}")
    return f"schema {head}, integrity ok"


def _check_pdf(state: _Scratch) -> str:
    """A PDF with Chinese text, made by the reports module when it offers a builder, whose text extracts."""
    from pypdf import PdfReader

    target = state.root / "自检.pdf"
    how = _build_pdf_with_reports(state, target) or _build_pdf_with_reportlab(target)
    text = "".join(PdfReader(str(target)).pages[0].extract_text().split())
    chinese = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    expected = PDF_SAMPLE if how == "reportlab" else "检查"
    if expected not in text or chinese < 4:
        raise CheckFailed(f"PDF 中的中文无法提取 / Chinese text not extractable: {text[:40]!r}")
    return f"{target.stat().st_size // 1024} KiB via {how}, {chinese} Chinese characters extracted"


def _build_pdf_with_reports(state: _Scratch, target: Path) -> str | None:
    """Today's summary of the (empty) scratch workspace through the app's own reports
    (``services.report_data.Reporter``: fonts, layout and all, as the app prints)."""
    if state.services is None:
        return None
    from datetime import date

    from inspector_app.services.report_data import Reporter

    today = date.today()
    Reporter(state.services.workspace, state.services.forms).summary(today, today, target)
    return "services.report_data.Reporter.summary"


def _build_pdf_with_reportlab(target: Path) -> str:
    """The shipped serif font straight through reportlab (before the reports module has a builder)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from inspector_app.paths import fonts_dir

    font_name = "InspSelfTestSerif"
    if font_name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font_name, str(fonts_dir() / "uming-gb.ttf")))
    canvas = Canvas(str(target), pagesize=A4)
    canvas.setTitle("inspector-app self-test")
    canvas.setFont(font_name, 14)
    canvas.drawString(72, 760, PDF_SAMPLE)
    canvas.save()
    return "reportlab"


def _check_qt(state: _Scratch) -> str:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    started = time.perf_counter()
    app = QApplication.instance() or QApplication(
        [sys.argv[0] if sys.argv else DIST_NAME, "-platform", "offscreen"]
    )
    state.timings["qt"] = time.perf_counter() - started
    return f"Qt {_qt_version()}, platform {QApplication.platformName() or '?'} ({type(app).__name__})"


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return str(qVersion())


def _check_main_window(state: _Scratch) -> str:
    from PySide6.QtWidgets import QApplication, QWidget

    if QApplication.instance() is None:
        raise CheckFailed("Qt 未启动 / Qt did not start")
    window, how = _make_main_window(state)
    if not isinstance(window, QWidget):
        raise CheckFailed(f"{how} returned {type(window).__name__}, not a window")
    try:
        window.show()
        QApplication.processEvents()
        if not window.isVisible():
            raise CheckFailed("主窗口未显示 / main window is not visible")
        state.timings["main_window"] = _process_age()
        title = window.windowTitle()
    finally:
        # hide, not close: closing saves the (offscreen) geometry into the user's settings.
        window.hide()
        window.deleteLater()
        QApplication.processEvents()
    return f"{title!r} via {how}, {state.timings['main_window']:.2f} s after process start"


def _make_main_window(state: _Scratch) -> tuple[object, str]:
    """The main window as the app builds it, without opening the user's workspace or any dialog.

    In order of preference: ``ui.app.create_main_window(args)``; ``ui.app.Application(args, qapp)``
    and its ``build_window()``; ``ui.main_window.MainWindow`` wired by hand.
    """
    from PySide6.QtWidgets import QApplication

    args = argparse.Namespace(
        workspace=str(state.root / "workspace"), lang=None, self_test=True, command=None
    )
    app_module = _optional_module("inspector_app.ui.app")
    factory = getattr(app_module, "create_main_window", None)
    if callable(factory):
        return factory(args), "ui.app.create_main_window"
    application_class = getattr(app_module, "Application", None)
    if application_class is not None and hasattr(application_class, "build_window"):
        application = application_class(args, QApplication.instance())
        _OWNED.append(application)
        return application.build_window(), "ui.app.Application.build_window"
    window_module = _optional_module("inspector_app.ui.main_window")
    if window_module is None:
        raise CheckFailed("inspector_app.ui 没有主窗口 / no main window in inspector_app.ui")
    from PySide6.QtCore import QSettings

    context = importlib.import_module("inspector_app.ui.context")
    taskman = importlib.import_module("inspector_app.ui.taskman")
    i18n = importlib.import_module("inspector_app.ui.i18n")
    tasks = taskman.TaskManager()
    _OWNED.append(tasks)
    settings = QSettings(str(state.root / "settings.ini"), QSettings.Format.IniFormat)
    translations = i18n.Translations()
    translations.install("zh")
    ctx = context.UiContext(tasks, settings, translations)
    return window_module.MainWindow(ctx), "ui.main_window.MainWindow"


_OWNED: list[Any] = []  # what the main-window check started (has shutdown()), stopped at the end


def _optional_module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


# The window comes early so its "seconds after process start" is the app's own start-up time; the
# import of every module (slow, and not what the app does at start) comes last.
CHECKS: tuple[Check, ...] = (
    Check("版本", "version", _check_version),
    Check("资源文件", "resources", _check_resources),
    Check("图形界面（离屏）", "Qt offscreen", _check_qt),
    Check("主窗口", "main window", _check_main_window),
    Check("检查表", "checklists", _check_checklists),
    Check("临时工作区", "scratch workspace", _check_workspace),
    Check("中文 PDF", "PDF with Chinese text", _check_pdf),
    Check("程序模块", "modules", _check_modules),
)


# --------------------------------------------------------------------------------------------
# Running them


def _process_age() -> float:
    """Seconds since this process started (the OS's count on Linux, else since this module loaded)."""
    try:
        stat = Path("/proc/self/stat").read_text()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _IMPORTED_AT


def _say(out: TextIO, line: str) -> None:
    try:
        print(line, file=out, flush=True)
    except UnicodeEncodeError:  # a console that cannot show ✔ or Chinese (cp437 …)
        print(line.encode("ascii", "replace").decode("ascii"), file=out, flush=True)


def run(args: argparse.Namespace | None = None, *, out: TextIO | None = None) -> int:
    """Run every check, print one line each, return the exit status (0 = all passed)."""
    del args  # the self-test never opens the workspace named on the command line
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt
    stream = out if out is not None else sys.stdout
    if stream is None:  # a windowed Windows build has no console: nothing to print to
        stream = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - lives for the process
    started = time.perf_counter()
    _say(stream, f"检查工作台自检 / inspector-app self-test {app_version()}")
    failed: list[str] = []
    scratch = Path(tempfile.mkdtemp(prefix="inspector-selftest-"))
    state = _Scratch(scratch)
    try:
        for check in CHECKS:
            t0 = time.perf_counter()
            try:
                detail = check.run(state)
            except Exception as exc:
                failed.append(check.name)
                reason = str(exc) if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: {exc}"
                _say(stream, f"✘ {check.name}: {reason}")
            else:
                _say(stream, f"✔ {check.name}: {detail} [{time.perf_counter() - t0:.2f} s]")
    finally:
        _clean_up(state)
    total = time.perf_counter() - started
    if failed:
        _say(stream, f"自检失败 / self-test FAILED: {'; '.join(failed)}")
        return EXIT_FAILED
    _say(
        stream,
        f"自检通过 / self-test passed: {len(CHECKS)} checks in {total:.2f} s, "
        f"{_process_age():.2f} s since process start",
    )
    return EXIT_OK


def _clean_up(state: _Scratch) -> None:
    while _OWNED:
        owner = _OWNED.pop()
        try:
            owner.shutdown()
        except Exception as exc:
            print(f"(shutdown of {type(owner).__name__}: {exc})", file=sys.stderr)
    if state.services is not None:
        state.services.close()
    shutil.rmtree(state.root, ignore_errors=True)  # Windows may still hold a file: leave it then
