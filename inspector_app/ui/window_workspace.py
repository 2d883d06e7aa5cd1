"""Opening a workspace from the main window: an existing one, a new empty one, or the demo (made on
the worker with a progress bar); what the window shows when it is open or could not be."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from inspector_app.ui import workspace_ops
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.window_chrome import WindowChrome

if TYPE_CHECKING:
    from inspector_app.ui.search_upkeep import PinyinIndexer

log = logging.getLogger(__name__)

PINYIN_AFTER_OPEN_MS = 1500  # the pinyin catch-up starts this long after a workspace has opened


class WorkspaceWindow(WindowChrome):
    """Opening a workspace; a part of ``MainWindow``."""

    workspace: workspace_ops.OpenedWorkspace | None
    pinyin_indexer: PinyinIndexer | None

    def open_workspace(self, root: Path, *, create: bool = False) -> None:
        self.workspace_label.setText(tr("正在打开 {path} …").format(path=root))
        job = workspace_ops.open_job(root, self.ctx.account, create=create, clock=self.ctx.clock)
        self.ctx.run(job, self._opened,
                     lambda exc: self._open_failed(root, exc))

    def open_demo(self, root: Path) -> None:
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.cancel_button.setVisible(True)
        job = self.ctx.run(workspace_ops.demo_job(root, self.ctx.account, clock=self.ctx.clock), self._opened,
                           lambda exc: self._open_failed(root, exc), on_progress=self._progress)
        self.cancel_button.clicked.connect(lambda: self.ctx.tasks.cancel(job))

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(0, total))
        self.progress.setValue(done)
        if text:
            self.statusBar().showMessage(text)

    def _opened(self, opened: workspace_ops.OpenedWorkspace) -> None:
        self.statusBar().clearMessage()  # "正在生成演示工作区…" and the like are over
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.workspace = opened
        self.ctx.remember("workspace/last", str(opened.root))
        self.workspace_label.setText(
            tr("工作区：{path}　企业 {n} 家").format(path=opened.root, n=opened.enterprises))
        if opened.form_problems:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, tr("检查表有误"), tr("以下检查表未能载入，其余可正常使用：\n")
                                + "\n".join(opened.form_problems[:10]))
        for page in self._made.values():
            page._stale = True
        current = self.pages.currentWidget()
        if isinstance(current, Page):
            current.activate()
        self.sync.start()
        # After the page's own loading: a catch-up step queued first would hold 今日任务 back.
        QTimer.singleShot(PINYIN_AFTER_OPEN_MS, self._index_pinyin)
        self.sig_workspace_opened.emit(opened)

    def _index_pinyin(self) -> None:
        """Index the pinyin a bulk write left for later (search_upkeep); from now on after every
        register change too."""
        if self.pinyin_indexer is None:
            from inspector_app.ui.search_upkeep import PinyinIndexer

            self.pinyin_indexer = PinyinIndexer(self.ctx, self)
            self.pinyin_indexer.sig_pending.connect(self._pinyin_pending)
        self.pinyin_indexer.start()

    def _pinyin_pending(self, pending: int) -> None:
        bar = self.statusBar()
        if pending:
            bar.showMessage(tr("正在建立拼音检索：还剩 {n} 家").format(n=pending), 3000)
        elif bar.currentMessage().startswith(tr("正在建立拼音检索：还剩 {n} 家").split("{")[0]):
            bar.showMessage(tr("拼音检索已建好"), 3000)  # the count it showed is over

    def _open_failed(self, root: Path, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.workspace_label.setText(tr("未打开工作区"))
        self.sig_workspace_failed.emit(str(exc))
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(tr("无法打开工作区"))
        box.setText(tr("无法打开工作区 {path}").format(path=root))
        box.setInformativeText(str(exc))
        choose = box.addButton(tr("选择其他工作区…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda b: b is choose and QTimer.singleShot(0, self.choose_workspace))
        box.open()
        if not workspace_ops.is_workspace_error(exc):
            log.error("opening %s failed", root, exc_info=exc)

    def choose_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, tr("选择工作区文件夹"))
        if folder:
            self.open_workspace(Path(folder), create=False)

    def new_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        folder = QFileDialog.getExistingDirectory(self, tr("选择新工作区的文件夹（应为空文件夹）"))
        if not folder:
            return
        root = Path(folder)
        if workspace_ops.has_data(root):
            QMessageBox.information(self, tr("已有工作区"), tr("该文件夹已有工作区，将直接打开。"))
        self.open_workspace(root, create=True)
