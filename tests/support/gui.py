"""GUI tests: offscreen, with an isolated QSettings and a seeded workspace per test (``harness``)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from inspector_app.domain import credit_code
from inspector_app.domain.enterprise import Enterprise, ResumptionStatus
from inspector_app.domain.visit import AnswerValue
from inspector_app.store import enterprises as store
from inspector_app.store import organisation
from inspector_app.store.workspace import Workspace

FIXTURE_FORMS = Path(__file__).parent / "fixtures" / "gui" / "forms"
REAL_FORMS = Path(__file__).resolve().parents[2] / "forms"
BADGES = ("44030012345", "44030012346")
NAMES = ("张伟", "李娜")
TEAM = "第一检查组"
GRIDS = ("宝龙一网格", "宝龙二网格", "同乐网格")
CATEGORIES = ("规上工业企业", "小档口", "建筑工地")
SAMPLE_NAMES = (
    ("深圳市宝龙精密五金制品有限公司", "宝龙街道宝龙大道8号"),
    ("深圳市同乐电子科技有限公司", "宝龙街道同乐路12号"),
    ("龙岗区宝龙美食小吃店", "宝龙街道碧新路2055号"),
    ("深圳市新能建设工程有限公司", "宝龙街道宝荷路88号"),
    ("深圳市乐达塑胶制品厂", "宝龙街道龙新社区工业区3栋"),
)


def code_for(n: int) -> str:
    return credit_code.complete(f"91440300MA{n:07d}")


def seed(root: Path, extra: int = 0, *, today: date | None = None) -> list[str]:
    """A workspace with two inspectors, the sample enterprises and ``extra`` generated ones, all due."""
    today = today or date.today()
    ws = Workspace.open(root, create=True)
    codes: list[str] = []
    try:
        with ws.session() as s:
            conn = s.connection()
            organisation.ensure_grids(conn, GRIDS)
            organisation.ensure_categories(conn, CATEGORIES)
            organisation.upsert_team(conn, TEAM)
            for badge, name in zip(BADGES, NAMES, strict=True):
                organisation.upsert_inspector(conn, badge, name, team=TEAM)
            rows = []
            total = len(SAMPLE_NAMES) + extra
            for n in range(total):
                if n < len(SAMPLE_NAMES):
                    name, address = SAMPLE_NAMES[n]
                else:
                    name, address = f"深圳市测试第{n}号贸易有限公司", f"宝龙街道测试路{n}号"
                code = code_for(n + 1)
                codes.append(code)
                rows.append(store.enterprise_values(Enterprise(
                    credit_code=code, name=name, address=address, grid=GRIDS[n % 3],
                    category=CATEGORIES[n % 3], legal_representative="王建国", phone="13800138000",
                    staff_total=120, resumption_status=ResumptionStatus.FILED,
                )))
            now = datetime.now(UTC)
            for start in range(0, len(rows), 5000):
                store.insert_enterprises(conn, rows[start:start + 5000], now)
            ids = store.ids_by_codes(conn, codes)
            organisation.assign_teams(conn, [(ids[c], TEAM) for c in codes], today - timedelta(days=3))
    finally:
        ws.close()
    return codes


@pytest.fixture(autouse=True)
def isolated_settings(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Feature folders hold GUI and plain tests side by side: only a test that runs Qt (it asks for
    # qtbot, qapp or the harness) gets the GUI's settings and forms; the others keep the environment.
    if not {"qtbot", "qapp", "harness"} & set(request.fixturenames):
        yield
        return
    tmp_path: Path = request.getfixturevalue("tmp_path")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    # The app opens QSettings(organization, application): the native format, an INI file on Linux.
    # Both go to the test's folder so no test reads or writes the user's real settings.
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("INSPECTOR_FORMS_DIR", str(FIXTURE_FORMS))
    monkeypatch.delenv("INSPECTOR_WORKSPACE", raising=False)
    yield


@dataclass
class Harness:
    window: object
    app: object
    root: Path
    codes: list[str]

    @property
    def ctx(self) -> object:
        return self.window.ctx  # type: ignore[attr-defined]


def answers_on_disk(root: Path, visit_id: str) -> dict[str, AnswerValue]:
    from inspector_app.services.context import AppServices

    services = AppServices.open(root, create=False, forms_dir=Path(os.environ["INSPECTOR_FORMS_DIR"]))
    try:
        return services.visits.snapshot(visit_id).answers
    finally:
        services.close()


@pytest.fixture
def harness(qtbot, tmp_path: Path) -> Iterator[Harness]:  # type: ignore[no-untyped-def]
    from inspector_app.ui.app import Application, load_fonts, make_application
    from inspector_app.ui.style import STYLESHEET

    root = tmp_path / "ws"
    codes = seed(root)
    qapp = make_application([])
    load_fonts()
    qapp.setStyleSheet(STYLESHEET)
    args = type("Args", (), {"lang": "zh", "workspace": str(root)})()
    application = Application(args, qapp)  # type: ignore[arg-type]
    window = application.build_window()
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    with qtbot.waitSignal(window.sig_workspace_opened, timeout=20_000):
        window.open_workspace(root)
    yield Harness(window, application, root, codes)
    application.translations.install("zh")  # the QApplication outlives the test: leave it Chinese
    application.shutdown()
