"""Item editors: one widget class per checklist item type, found through a registry.

As in calibre's custom-column widgets, an editor only shows and emits values
(``sig_value_changed``); it never reads or writes the database. The visit page decides what an
answer means and sends it to the storage worker.

Keyboard contract (an inspector finishes a checklist without the mouse): an editor takes focus as
a whole, digits pick options (1 符合, 2 不符合, 3 不适用 for compliance items) and Enter asks to move
on (``sig_advance``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from inspector_app.checklist import Item, ItemType
from inspector_app.domain.visit import AnswerValue
from inspector_app.ui.i18n import tr
from inspector_app.ui.widgets.camera import cameras_available, take_photo
from inspector_app.ui.widgets.signature import SignatureForm

DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# Tick boxes: 1–9, then A, B, C … (the 三小 list has 11 problems; each has its key)
OPTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
OPTION_KEYS: dict[Qt.Key, int] = {
    **{key: n - 1 for key, n in DIGIT_KEYS.items()},
    **{getattr(Qt.Key, f"Key_{c}"): 9 + i for i, c in enumerate(OPTION_LETTERS)},
}


def option_key(index: int) -> str:
    """The key that ticks the index-th option ("" when there is none)."""
    if index < 9:
        return str(index + 1)
    return OPTION_LETTERS[index - 9] if index - 9 < len(OPTION_LETTERS) else ""


def _is_enter(event: object) -> bool:
    return (isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in ENTER_KEYS)


class ItemEditor(QWidget):
    """Base of every editor. Subclasses set ``types`` and implement ``set_value``."""

    types: ClassVar[tuple[ItemType, ...]] = ()
    sig_value_changed = Signal(object)
    sig_advance = Signal()
    sig_focused = Signal()

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__()
        self.item = item
        self.lang = lang
        self.read_only = False
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(10)

    def set_value(self, value: AnswerValue) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for child in self.findChildren(QWidget):
            child.setEnabled(not read_only)

    def take_focus(self) -> None:
        self.setFocus(Qt.FocusReason.TabFocusReason)

    def refuse_focus(self) -> None:
        """A computed item (到岗率 …) is read, never typed into: neither Tab nor a click stops on it."""
        for widget in (self, *self.findChildren(QWidget)):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def emit_value(self, value: AnswerValue) -> None:
        if not self.read_only:
            self.sig_value_changed.emit(value)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.sig_focused.emit()
        super().focusInEvent(event)


EditorFactory = Callable[[Item, str], ItemEditor]
EDITORS: dict[ItemType, EditorFactory] = {}


def register_editor(cls: type[ItemEditor]) -> type[ItemEditor]:
    for t in cls.types:
        EDITORS[t] = cls
    return cls


def editor_for(item: Item, lang: str) -> ItemEditor:
    return EDITORS[item.type](item, lang)


class _ButtonsEditor(ItemEditor):
    """Big checkable buttons; digit n picks the n-th. The editor itself holds the focus."""

    options: list[tuple[object, str, str]]  # (value, label, style key)
    exclusive = True

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(item, lang)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # exclusivity by hand: a chosen answer can be taken back
        self.buttons: list[QPushButton] = []
        for n, (_value, label, key) in enumerate(self.options, start=1):
            button = QPushButton(f"{label}  {n}" if n <= 9 else label)
            button.setObjectName("answer")
            button.setProperty("answer", key)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self.group.addButton(button, n - 1)
            self.buttons.append(button)
            self.row.addWidget(button)
        self.row.addStretch(1)
        self.group.idClicked.connect(self._clicked)
        self._value: AnswerValue = None

    def _clicked(self, index: int) -> None:
        self.choose(index)

    def choose(self, index: int) -> None:
        if self.read_only or not 0 <= index < len(self.options):
            return
        value = self.options[index][0]
        new: AnswerValue = None if self._value == value and self.exclusive else value  # type: ignore[assignment]
        self.set_value(new)
        self.emit_value(new)

    def set_value(self, value: AnswerValue) -> None:
        self._value = value
        for button, (option, _label, _key) in zip(self.buttons, self.options, strict=True):
            button.setChecked(option == value)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for b in self.buttons:
            b.setEnabled(not read_only or b.isChecked())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        n = DIGIT_KEYS.get(Qt.Key(event.key()))
        if n is not None and n <= len(self.options):
            if self._value != self.options[n - 1][0]:
                self.choose(n - 1)
            return
        if event.key() in ENTER_KEYS:
            self.sig_advance.emit()
            return
        super().keyPressEvent(event)


@register_editor
class ComplianceEditor(_ButtonsEditor):
    types = (ItemType.COMPLIANCE,)

    def __init__(self, item: Item, lang: str) -> None:
        self.options = [("Y", tr("符合"), "Y"), ("N", tr("不符合"), "N"), ("NA", tr("不适用"), "NA")]
        super().__init__(item, lang)


@register_editor
class YesNoEditor(_ButtonsEditor):
    types = (ItemType.YESNO,)

    def __init__(self, item: Item, lang: str) -> None:
        bad = item.bad_answer
        self.options = [
            (True, tr("是"), "N" if bad is True else "Y"),
            (False, tr("否"), "N" if bad is False else "NA"),
        ]
        super().__init__(item, lang)


class _ChoiceButtons(_ButtonsEditor):
    def __init__(self, item: Item, lang: str) -> None:
        self.options = [(c.value, c.label.text(lang), "Y") for c in item.choices]
        super().__init__(item, lang)


class _ComboChoice(ItemEditor):
    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(item, lang)
        self.combo = QComboBox()
        self.combo.addItem(tr("（未选择）"), None)
        for c in item.choices:
            self.combo.addItem(c.label.text(lang), c.value)
        self.combo.setMinimumWidth(260)
        self.row.addWidget(self.combo)
        self.row.addStretch(1)
        self.setFocusProxy(self.combo)
        self.combo.activated.connect(lambda _i: self.emit_value(self.combo.currentData()))
        self.combo.installEventFilter(self)

    def set_value(self, value: AnswerValue) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))

    def eventFilter(self, watched: object, event: object) -> bool:
        if _is_enter(event):
            self.sig_advance.emit()
            return True
        if isinstance(event, QFocusEvent) and event.type() == QFocusEvent.Type.FocusIn:
            self.sig_focused.emit()
        return False


def choice_editor(item: Item, lang: str) -> ItemEditor:
    """Few options: buttons with digit keys; many: a combo box."""
    if len(item.choices) <= 5:
        return _ChoiceButtons(item, lang)
    return _ComboChoice(item, lang)


EDITORS[ItemType.CHOICE] = choice_editor


class WrapCheckBox(QCheckBox):
    """A tick box whose text wraps to the width it is given (a QCheckBox's never does, so a long
    problem list scrolled sideways at 1366 px, and English was cut off). Clicking the text ticks."""

    NATURAL_WIDTH = 440  # px: past this a long option wraps rather than widen the list

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _option(self) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return option

    def _indent(self) -> int:
        option = self._option()
        box = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self)
        spacing = self.style().pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, option, self)
        return box.right() + 1 + spacing

    def _text_height(self, width: int) -> int:
        room = QRect(0, 0, max(1, width - self._indent()), 100_000)
        return self.fontMetrics().boundingRect(room, Qt.TextFlag.TextWordWrap, self.text()).height()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        single = super().sizeHint().height()
        return max(single, single - self.fontMetrics().height() + self._text_height(width))

    def sizeHint(self) -> QSize:
        width = min(super().sizeHint().width(), self.NATURAL_WIDTH)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        width = self._indent() + self.fontMetrics().horizontalAdvance("M") * 8
        return QSize(width, super().minimumSizeHint().height())

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = self._option()
        option.text = ""  # the box alone; the text is drawn wrapped beside it
        painter.drawControl(QStyle.ControlElement.CE_CheckBox, option)
        painter.drawItemText(
            self.rect().adjusted(self._indent(), 0, 0, 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) | int(Qt.TextFlag.TextWordWrap),
            self.palette(), self.isEnabled(), self.text(), QPalette.ColorRole.WindowText)


@register_editor
class MultiEditor(ItemEditor):
    """Tick boxes; digit n toggles the n-th. A tick list's boxes are the problems found.

    The boxes sit in two columns whose text wraps (the list fits the page's width in any
    language); a tick list's 无上述问题 (0) comes under them."""

    types = (ItemType.MULTI,)

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(item, lang)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        from PySide6.QtWidgets import QGridLayout, QVBoxLayout

        column = QVBoxLayout()
        column.setSpacing(6)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.boxes: list[QCheckBox] = []
        for n, c in enumerate(item.choices):
            prefix = f"{option_key(n)}. " if option_key(n) else ""
            box = WrapCheckBox(prefix + c.label.text(lang))
            box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            box.toggled.connect(self._toggled)
            grid.addWidget(box, n // 2, n % 2)
            self.boxes.append(box)
        column.addLayout(grid)
        self.row.addLayout(column, 1)
        self._setting = False
        # An empty tick list is an answer ("no problem found"): say so explicitly with a button.
        self.none_button: QPushButton | None = None
        if item.tick_list:
            self.none_button = QPushButton(tr("无上述问题  0"))
            self.none_button.setObjectName("answer")
            self.none_button.setProperty("answer", "Y")
            self.none_button.setCheckable(True)
            self.none_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.none_button.clicked.connect(self._emit_none)
            column.addWidget(self.none_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _emit_none(self) -> None:
        self.set_value([])
        self.emit_value([])

    def _toggled(self) -> None:
        if not self._setting:
            value = self.value()
            if self.none_button is not None:
                self.none_button.setChecked(False)
            self.emit_value(value if value or self.item.tick_list else None)

    def value(self) -> list[str]:
        return [c.value for c, b in zip(self.item.choices, self.boxes, strict=True) if b.isChecked()]

    def set_value(self, value: AnswerValue) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        self._setting = True
        for c, b in zip(self.item.choices, self.boxes, strict=True):
            b.setChecked(c.value in chosen)
        self._setting = False
        if self.none_button is not None:
            self.none_button.setChecked(value == [])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.read_only:
            return super().keyPressEvent(event)
        n = OPTION_KEYS.get(Qt.Key(event.key()))
        if n is not None and n < len(self.boxes):
            self.boxes[n].toggle()
            return None
        if event.key() == Qt.Key.Key_0 and self.none_button is not None:
            self._emit_none()
            return None
        if event.key() in ENTER_KEYS:
            self.sig_advance.emit()
            return None
        return super().keyPressEvent(event)


class _LineEditor(ItemEditor):
    """A line of text committed on Enter or when focus leaves; Enter also moves on."""

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(item, lang)
        self.edit = QLineEdit()
        self.edit.setMinimumWidth(160)
        self.row.addWidget(self.edit, 1 if item.type is ItemType.TEXT else 0)
        if item.unit:
            unit = QLabel(tr(item.unit))  # 人 → people in English (i18n.DOMAIN_WORDS)
            unit.setObjectName("muted")
            self.row.addWidget(unit)
        if item.type is not ItemType.TEXT:
            self.row.addStretch(1)
        self.setFocusProxy(self.edit)
        self._committed = ""
        self.edit.returnPressed.connect(self._enter)
        self.edit.editingFinished.connect(self._commit)
        self.edit.installEventFilter(self)

    def eventFilter(self, watched: object, event: object) -> bool:
        if isinstance(event, QFocusEvent) and event.type() == QFocusEvent.Type.FocusIn:
            self.sig_focused.emit()
        return False

    def take_focus(self) -> None:
        """The cursor in the line, its text selected: typing replaces a prefilled figure (whether
        or not the line already had the focus when the checklist moved to it)."""
        self.edit.setFocus(Qt.FocusReason.TabFocusReason)
        self.edit.selectAll()

    def _enter(self) -> None:
        self._commit()
        self.sig_advance.emit()

    def _commit(self) -> None:
        text = self.edit.text().strip()
        if text == self._committed:
            return
        self._committed = text
        self.emit_value(text or None)

    def set_value(self, value: AnswerValue) -> None:
        text = "" if value is None else str(value)
        self._committed = text
        self.edit.setText(text)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.edit.setReadOnly(read_only)


@register_editor
class TextEditor(_LineEditor):
    types = (ItemType.TEXT,)

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(item, lang)
        if item.max_length:
            self.edit.setMaxLength(item.max_length)


@register_editor
class NumberEditor(_LineEditor):
    types = (ItemType.INTEGER, ItemType.DECIMAL)

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(item, lang)
        self.edit.setMaximumWidth(180)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        low, high = item.min, item.max
        # The range the form allows, written as a reader says it: "0 – 100", "≥ 0", "≤ 50".
        if low is not None and high is not None:
            self.edit.setPlaceholderText(f"{low} – {high}")
        elif low is not None:
            self.edit.setPlaceholderText(f"≥ {low}")
        elif high is not None:
            self.edit.setPlaceholderText(f"≤ {high}")


@register_editor
class DateEditor(_LineEditor):
    """A date typed as digits (2026-03-01, 2026/3/1 or 20260301), committed like any line:
    a spin box with a blank "未填写" value cannot be typed into, so this is a line. The page
    shows the stored form (年-月-日) once the answer is accepted."""

    types = (ItemType.DATE,)

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(item, lang)
        self.edit.setMaximumWidth(180)
        self.edit.setMaxLength(16)
        self.edit.setPlaceholderText(tr("年-月-日，如 2026-03-01"))


def choose_photos(parent: QWidget) -> list[Path]:
    """The photo files the inspector picks in the file dialog (or the test driver's chooser)."""
    chooser = PhotosEditor.choose_files
    if chooser is not None:
        return chooser(parent)
    names, _filter = QFileDialog.getOpenFileNames(
        parent, tr("选择照片"), "", tr("图片 (*.jpg *.jpeg *.png *.heic *.webp)"))
    return [Path(n) for n in names]


@register_editor
class PhotosEditor(ItemEditor):
    """Photos come from files, or from the camera where there is one. The page stores them, then answers.

    Each attached photo shows as a thumbnail: click it (or V) to see it large, × (or Delete) to
    remove it; ←/→ choose the photo the keys act on, Space or P adds photos.
    """

    types = (ItemType.PHOTOS,)
    sig_add_files = Signal(object)  # list of Path (chosen files) or bytes (a photo just taken)
    sig_remove = Signal(str)  # sha256
    sig_preview = Signal(str)  # sha256
    # Tests and the scripted driver answer the file dialog themselves.
    choose_files: Callable[[QWidget], list[Path]] | None = None

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(item, lang)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.add_button = QPushButton(tr("添加照片…"))
        self.add_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_button.clicked.connect(self._pick)
        self.summary = QLabel(tr("暂无照片"))
        self.summary.setObjectName("muted")
        self.row.addWidget(self.add_button)
        if item.type == ItemType.PHOTOS and cameras_available():
            self.camera_button = QPushButton(tr("拍照…"))
            self.camera_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.camera_button.clicked.connect(self._take)
            self.row.addWidget(self.camera_button)
        self.strip = QHBoxLayout()
        self.strip.setSpacing(6)
        self.row.addLayout(self.strip)
        self.row.addWidget(self.summary, 1)
        self._value: list[str] = []
        self._images: dict[str, bytes] = {}
        self.thumbs: list[QWidget] = []
        self.selected = -1

    def _take(self) -> None:
        if self.read_only:
            return
        photo = take_photo(self)
        if photo is not None:
            self.sig_add_files.emit([photo])

    def _pick(self) -> None:
        if self.read_only:
            return
        files = choose_photos(self)
        if files:
            self.sig_add_files.emit(files)

    def set_value(self, value: AnswerValue) -> None:
        if isinstance(value, str):
            value = [value]
        self._value = list(value) if isinstance(value, list) else []
        n = len(self._value)
        self.summary.setText(tr("已有 {n} 张照片").format(n=n) if n else tr("暂无照片"))
        self.selected = min(self.selected, n - 1) if n else -1
        self._show_thumbs()

    def set_images(self, images: dict[str, bytes]) -> None:
        """Thumbnail bytes by sha256 (the page reads them off the GUI thread)."""
        self._images.update(images)
        self._show_thumbs()

    def _show_thumbs(self) -> None:
        from PySide6.QtGui import QIcon, QPixmap
        from PySide6.QtWidgets import QToolButton

        for w in self.thumbs:
            w.hide()
            self.strip.removeWidget(w)
            w.deleteLater()
        self.thumbs = []
        for n, sha in enumerate(self._value):
            box = QWidget(self)  # parent first: a parentless widget made visible becomes a window
            lay = QHBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(0)
            thumb = QToolButton(box)
            thumb.setObjectName("photoThumb")
            thumb.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            thumb.setCheckable(True)
            thumb.setChecked(n == self.selected)
            pixmap = QPixmap()
            data = self._images.get(sha)
            if data is not None and pixmap.loadFromData(data):
                thumb.setIcon(QIcon(pixmap))
                thumb.setIconSize(pixmap.size().scaled(56, 56, Qt.AspectRatioMode.KeepAspectRatio))
            else:
                thumb.setText(tr("图{n}").format(n=n + 1))
            thumb.setToolTip(tr("第 {n} 张：点击查看（V），Delete 删除").format(n=n + 1))
            thumb.clicked.connect(lambda _c=False, s=sha: self.sig_preview.emit(s))
            remove = QToolButton(box)
            remove.setText("×")
            remove.setObjectName("photoRemove")
            remove.setToolTip(tr("删除这张照片"))
            remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            remove.clicked.connect(lambda _c=False, s=sha: self._remove(s))
            lay.addWidget(thumb)
            lay.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
            remove.setVisible(not self.read_only)
            self.strip.addWidget(box)
            box.show()  # a child added to a shown widget stays hidden until told
            self.thumbs.append(box)

    def _remove(self, sha: str) -> None:
        if not self.read_only:
            self.sig_remove.emit(sha)

    def value(self) -> list[str]:
        return list(self._value)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.add_button.setVisible(not read_only)
        self._show_thumbs()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in ENTER_KEYS:
            self.sig_advance.emit()
            return
        if key in (Qt.Key.Key_Space, Qt.Key.Key_P):
            self._pick()
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self._value:
            step = -1 if key == Qt.Key.Key_Left else 1
            self.selected = max(0, min(len(self._value) - 1, self.selected + step))
            self._show_thumbs()
            return
        target = self._value[self.selected if self.selected >= 0 else -1] if self._value else None
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and target is not None:
            self._remove(target)
            return
        if key == Qt.Key.Key_V and target is not None:
            self.sig_preview.emit(target)
            return
        super().keyPressEvent(event)


@register_editor
class SignatureEditor(ItemEditor):
    """A signature item: the same pad and refusal path as the finish page's signature cards.

    The enterprise's signature item and the finish page's 企业负责人 card are one signature: the
    page sends either to the same service call and shows the result on both.
    """

    types = (ItemType.SIGNATURE,)
    sig_sign = Signal(str, object, str)  # signer, PNG bytes or None (refusal), refusal reason

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(item, lang)
        self.form = SignatureForm(name_editable=True, refusable=item.refusable)
        self.row.addWidget(self.form, 1)
        self.setFocusProxy(self.form.name)
        self.form.sig_save.connect(self.sig_sign)
        self.form.name.returnPressed.connect(self.sig_advance)
        for w in (self.form.name, self.form.reason, self.form.refuse):
            w.installEventFilter(self)
        self._value: AnswerValue = None

    def eventFilter(self, watched: object, event: object) -> bool:
        if isinstance(event, QFocusEvent) and event.type() == QFocusEvent.Type.FocusIn:
            self.sig_focused.emit()
        return False

    def set_value(self, value: AnswerValue) -> None:
        self._value = value

    def show_signed(self, signer: str, png: bytes | None, refused_reason: str) -> None:
        self.form.show_signed(signer, png, refused_reason)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.form.set_read_only(read_only)
