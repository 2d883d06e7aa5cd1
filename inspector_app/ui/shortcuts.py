"""快捷键: the keys of the window, and the F1 dialog that lists every one of them.

The window's own keys are named once here (``WINDOW_KEYS``) and set from this table, so the help
cannot drift from what the keys do.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from inspector_app.ui.i18n import tr

WINDOW_KEYS = {
    "find": "Ctrl+F",
    "back": "Alt+Left",
    "escape": "Esc",
    "help": "F1",
    "sync": "Ctrl+Shift+S",
}


# The groups' anchors: F1 opens the help at the group of the page in front.
GLOBAL, WORKLIST, START = "global", "worklist", "start"
VISIT, RECHECK, PREVIEW = "visit", "recheck", "preview"


def groups() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(anchor, heading, [(keys, what they do)]) in the order the help shows them (translated)."""
    return [
        (GLOBAL, tr("全局"), [
            ("Ctrl+F", tr("搜索企业（今日任务或企业名录的搜索框）")),
            ("Ctrl+1 … Ctrl+6", tr("转到 今日任务、企业名录、隐患整改、诉求跟进、报表打印、同步")),
            ("Esc / Alt+←", tr("返回（企业页、检查页）")),
            ("Ctrl+Shift+S", tr("立即同步")),
            ("Ctrl+O", tr("打开工作区")),
            ("F1", tr("快捷键（本页）")),
            ("Ctrl+Q", tr("退出")),
            ("Tab / Shift+Tab", tr("在输入框、列表和按钮之间移动")),
        ]),
        (WORKLIST, tr("今日任务"), [
            ("↓", tr("从搜索框进入结果列表")),
            ("Enter", tr("开始检查；隐患复查行开始复查；进行中的检查则继续（搜索框中：第一条结果）")),
            ("Ctrl+Enter", tr("查看企业")),
            ("↑ / ↓", tr("在列表中选择企业")),
        ]),
        (START, tr("开始检查"), [
            ("Enter", tr("开始（有进行中的检查时：继续该检查）")),
            ("Space", tr("选中或取消检查表、检查人员")),
            ("Esc", tr("取消")),
        ]),
        (VISIT, tr("检查"), [
            ("1 / 2 / 3", tr("当前检查项：符合 / 不符合 / 不适用")),
            ("1 … 9, A, B …", tr("单选、多选项：按选项前的键选中或取消；0：以上都没有")),
            ("Tab / Enter", tr("下一项")),
            ("Shift+Tab", tr("上一项")),
            ("Enter", tr("隐患描述中：隐患填完，回到检查表（Shift+Enter 换行）")),
            ("Esc", tr("隐患中：离开隐患，回到检查表")),
            ("Space / P", tr("照片项：添加照片")),
            ("← / →, Delete, V", tr("照片项：选择照片、删除、查看")),
            ("Enter", tr("签名板上：保存签名")),
        ]),
        (RECHECK, tr("复查"), [
            ("1 / 2", tr("当前隐患：已整改 / 未整改")),
            ("Enter", tr("下一项")),
        ]),
        (PREVIEW, tr("打印预览"), [
            ("Ctrl+P", tr("打印（选择打印机）")),
            ("Esc", tr("关闭")),
        ]),
    ]


def as_html() -> str:
    rows = []
    for anchor, heading, keys in groups():
        rows.append(f'<tr><td colspan="2"><a name="{anchor}"></a><h3>{escape(heading)}</h3></td></tr>')
        for key, what in keys:
            rows.append(f'<tr><td style="padding:2px 18px 2px 0"><b>{escape(key)}</b></td>'
                        f'<td style="padding:2px 0">{escape(what)}</td></tr>')
    return "<table>" + "".join(rows) + "</table>"


class ShortcutsDialog(QDialog):
    """The list of keys, opened at ``current`` (a group's anchor: the page in front). The text has
    the focus, so ↑/↓ and PageUp/PageDown scroll it; Esc closes."""

    def __init__(self, parent: QWidget | None = None, current: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("快捷键"))
        self.resize(680, 600)  # within a 1280×720 screen
        layout = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        self.text.setHtml(as_html())
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.current = current
        self.text.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.current:  # once laid out: the anchor's place is known
            self.text.scrollToAnchor(self.current)
