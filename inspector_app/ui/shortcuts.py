"""快捷键: the keys of the window, and the F1 dialog that lists every one of them.

Every key is named once here (``KEYS``): a key sequence is set on its action, button or QShortcut
through ``bind``/``shortcut`` from this table, and the help is generated from it, so the help
cannot drift from what the keys do (a test looks for keys set anywhere else).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from inspector_app.ui.i18n import tr

# The groups' anchors: F1 opens the help at the group of the page in front.
GLOBAL, WORKLIST, ENTERPRISE, START = "global", "worklist", "enterprise", "start"
VISIT, PHOTO, RECHECK, PREVIEW = "visit", "photo", "recheck", "preview"
GROUP_TITLES = {
    GLOBAL: QT_TRANSLATE_NOOP("ui", "全局"),
    WORKLIST: QT_TRANSLATE_NOOP("ui", "今日任务"),
    ENTERPRISE: QT_TRANSLATE_NOOP("ui", "企业页"),
    START: QT_TRANSLATE_NOOP("ui", "开始检查"),
    VISIT: QT_TRANSLATE_NOOP("ui", "检查"),
    PHOTO: QT_TRANSLATE_NOOP("ui", "查看照片"),
    RECHECK: QT_TRANSLATE_NOOP("ui", "复查"),
    PREVIEW: QT_TRANSLATE_NOOP("ui", "打印预览"),
}


@dataclass(frozen=True)
class Key:
    """One line of the help. ``sequences`` are set on an action, a button or a QShortcut through
    ``bind``/``shortcut`` (so a key that works is a key the help lists); a key a widget reads
    itself (the digits of an item, Enter, Tab …) has none and is written as ``shown``."""

    group: str
    what: object  # Chinese source (a QT_TRANSLATE_NOOP, for lupdate), translated when shown
    sequences: tuple[str, ...] = ()  # portable text, e.g. "Ctrl+Shift+S"
    shown: str = ""  # how the help writes the keys; "" → the sequences, " / " between

    @property
    def keys_text(self) -> str:
        return self.shown or " / ".join(self.sequences)


# The one home of every key: name → Key, in the order the help lists them.
KEYS: dict[str, Key] = {
    "find": Key(GLOBAL, QT_TRANSLATE_NOOP("ui", "搜索企业（今日任务或企业名录的搜索框）"), ("Ctrl+F",)),
    "pages": Key(
        GLOBAL, QT_TRANSLATE_NOOP("ui", "转到 今日任务、企业名录、隐患整改、诉求跟进、报表打印、同步"),
        tuple(f"Ctrl+{n}" for n in range(1, 7)), "Ctrl+1 … Ctrl+6"),
    "escape": Key(GLOBAL, QT_TRANSLATE_NOOP("ui", "返回（企业页、检查页）"), ("Esc",), "Esc / Alt+←"),
    "back": Key(GLOBAL, QT_TRANSLATE_NOOP("ui", "返回（企业页、检查页）"), ("Alt+Left",), "Esc / Alt+←"),
    "sync": Key(GLOBAL, QT_TRANSLATE_NOOP("ui", "立即同步"), ("Ctrl+Shift+S",)),
    "open": Key(GLOBAL, QT_TRANSLATE_NOOP("ui", "打开工作区"), ("Ctrl+O",)),
    "help": Key(GLOBAL, QT_TRANSLATE_NOOP("ui", "快捷键（本页）"), ("F1",)),
    "quit": Key(GLOBAL, QT_TRANSLATE_NOOP("ui", "退出"), ("Ctrl+Q",)),
    "tab": Key(GLOBAL, QT_TRANSLATE_NOOP("ui", "在输入框、列表和按钮之间移动"), shown="Tab / Shift+Tab"),
    "menus": Key(
        GLOBAL, QT_TRANSLATE_NOOP("ui", "打开菜单：文件、语言、转到、帮助"),
        shown="Alt+F / Alt+L / Alt+G / Alt+H"),
    "worklist_down": Key(WORKLIST, QT_TRANSLATE_NOOP("ui", "从搜索框进入结果列表"), shown="↓"),
    "worklist_enter": Key(
        WORKLIST, QT_TRANSLATE_NOOP("ui", "开始检查；隐患复查行开始复查；进行中的检查则继续（搜索框中：第一条结果）"),  # noqa: E501
        shown="Enter"),
    "worklist_open": Key(WORKLIST, QT_TRANSLATE_NOOP("ui", "查看企业"), shown="Ctrl+Enter"),
    "worklist_rows": Key(WORKLIST, QT_TRANSLATE_NOOP("ui", "在列表中选择企业"), shown="↑ / ↓"),
    "enterprise_start": Key(ENTERPRISE, QT_TRANSLATE_NOOP("ui", "开始检查"), ("Ctrl+N",)),
    "enterprise_recheck": Key(ENTERPRISE, QT_TRANSLATE_NOOP("ui", "开始复查（有待复查隐患时）"), ("Ctrl+R",)),
    "start_enter": Key(START, QT_TRANSLATE_NOOP("ui", "开始（有进行中的检查时：继续该检查）"), shown="Enter"),
    "start_space": Key(START, QT_TRANSLATE_NOOP("ui", "选中或取消检查表、检查人员"), shown="Space"),
    "start_escape": Key(START, QT_TRANSLATE_NOOP("ui", "取消"), shown="Esc"),
    "visit_answer": Key(
        VISIT, QT_TRANSLATE_NOOP("ui", "当前检查项：符合 / 不符合 / 不适用"),
        shown="1 / 2 / 3"),
    "visit_options": Key(
        VISIT, QT_TRANSLATE_NOOP("ui", "单选、多选项：按选项前的键选中或取消；0：以上都没有"),
        shown="1 … 9, A, B …"),
    "visit_next": Key(
        VISIT, QT_TRANSLATE_NOOP("ui", "下一项（一节的最后一项之后：下一节，最后是签名和完成）"),
        shown="Tab / Enter"),
    "visit_previous": Key(VISIT, QT_TRANSLATE_NOOP("ui", "上一项"), shown="Shift+Tab"),
    "visit_finding_done": Key(
        VISIT, QT_TRANSLATE_NOOP("ui", "隐患描述中：隐患填完，回到检查表（Shift+Enter 换行）"),
        shown="Enter"),
    "visit_finding_leave": Key(VISIT, QT_TRANSLATE_NOOP("ui", "隐患中：离开隐患，回到检查表"), shown="Esc"),
    "visit_photo_add": Key(VISIT, QT_TRANSLATE_NOOP("ui", "照片项：添加照片"), shown="Space / P"),
    "visit_photo_keys": Key(
        VISIT, QT_TRANSLATE_NOOP("ui", "照片项：选择照片、删除、查看"),
        shown="← / →, Delete, V"),
    "visit_sign": Key(VISIT, QT_TRANSLATE_NOOP("ui", "签名板上：保存签名"), shown="Enter"),
    "visit_missing": Key(VISIT, QT_TRANSLATE_NOOP("ui", "尚缺内容列表中：转到该项"), shown="↑ / ↓, Enter"),
    "photo_rotate": Key(PHOTO, QT_TRANSLATE_NOOP("ui", "向右旋转 90°"), ("R",)),
    "photo_close": Key(PHOTO, QT_TRANSLATE_NOOP("ui", "关闭"), shown="Esc"),
    "camera_take": Key(PHOTO, QT_TRANSLATE_NOOP("ui", "拍照窗口：拍照"), ("Space",)),
    "recheck_mark": Key(RECHECK, QT_TRANSLATE_NOOP("ui", "当前隐患：已整改 / 未整改"), shown="1 / 2"),
    "recheck_next": Key(RECHECK, QT_TRANSLATE_NOOP("ui", "下一项"), shown="Enter"),
    "preview_print": Key(PREVIEW, QT_TRANSLATE_NOOP("ui", "打印（选择打印机）"), ("Ctrl+P",)),
    "preview_close": Key(PREVIEW, QT_TRANSLATE_NOOP("ui", "关闭"), shown="Esc"),
}

# The window's own keys (main_window sets them from here).
WINDOW_KEYS = {name: KEYS[name].sequences[0] for name in ("find", "back", "escape", "help", "sync")}


def sequence(name: str, index: int = 0) -> QKeySequence:
    return QKeySequence(KEYS[name].sequences[index])


def bind(target: QAction | QAbstractButton, name: str, index: int = 0) -> None:
    """Give ``target`` the key registered as ``name``: set here, listed by F1."""
    target.setShortcut(sequence(name, index))


def shortcut(name: str, parent: QObject) -> QShortcut:
    """A QShortcut on ``parent`` (a dialog, say) for the key registered as ``name``."""
    return QShortcut(sequence(name), parent)


def registered() -> set[str]:
    """Every key sequence the app sets, in portable text: what a shortcut found on a widget must be."""
    return {QKeySequence(s).toString(QKeySequence.SequenceFormat.PortableText)
            for key in KEYS.values() for s in key.sequences}


def groups() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(anchor, heading, [(keys, what they do)]) in the order the help shows them (translated);
    keys of the same meaning and writing (Esc and Alt+← for 返回) are one line."""
    out: list[tuple[str, str, list[tuple[str, str]]]] = []
    for anchor, title in GROUP_TITLES.items():
        lines: list[tuple[str, str]] = []
        for key in KEYS.values():
            line = (key.keys_text, tr(str(key.what)))
            if key.group == anchor and line not in lines:
                lines.append(line)
        if lines:
            out.append((anchor, tr(str(title)), lines))
    return out


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
