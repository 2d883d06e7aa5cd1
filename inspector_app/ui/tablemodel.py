"""A read-only table over a list of plain rows that stays smooth at 100,000 rows.

Every cell's text is computed once, off the GUI thread (``prepare``), so ``data()`` is two list
lookups; or, for lists long enough that the wait is for the cells (今日任务), the first time the row
is drawn (``LazyCells``). Filtering and sorting never touch the rows: they produce a list of row numbers (the
view), and filtering walks the current sort order so its result needs no sorting again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None
    align_right: bool = False


class LazyCells:
    """A row's cell texts, made the first time the row is drawn and kept.

    A screen shows about 15 rows: making the texts of 100,000 (a million ``Column.text`` calls)
    before the list can be shown was most of the wait for 今日任务. Made on the GUI thread, a few
    microseconds a row; sorting by a column makes only that column's texts.
    """

    def __init__(self, rows: Sequence[Any], columns: Sequence[Column]) -> None:
        self._rows = rows
        self._columns = list(columns)
        self._made: list[tuple[str, ...] | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, n: int) -> tuple[str, ...]:
        cells = self._made[n]
        if cells is None:
            row = self._rows[n]
            cells = self._made[n] = tuple(c.text(row) for c in self._columns)
        return cells

    def column(self, c: int, numbers: Sequence[int]) -> list[str]:
        """The texts of column ``c`` for the rows ``numbers`` (for sorting; nothing kept)."""
        text, rows = self._columns[c].text, self._rows
        return [text(rows[n]) for n in numbers]


@dataclass
class Prepared:
    """Rows with their cell texts and an optional colour per row; built off the GUI thread."""

    rows: Sequence[Any]
    cells: list[tuple[str, ...]] | LazyCells
    colors: list[str | None]


def prepare(
    rows: Sequence[Any], columns: Sequence[Column], color: Callable[[Any], str | None] | None,
    *, lazy: bool = False,
) -> Prepared:
    """The rows made ready for the table; ``lazy``: cell texts when first drawn (``LazyCells``)."""
    cells = LazyCells(rows, columns) if lazy else [tuple(c.text(r) for c in columns) for r in rows]
    colors = [color(r) for r in rows] if color is not None else []
    return Prepared(rows, cells, colors)


class RowsModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None, *,
                 color_columns: frozenset[int] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        # A row's colour on every cell shouts; pages may limit it to the columns that explain it.
        self._color_columns = color_columns
        self._data = Prepared([], [], [])
        self._order: list[int] = []  # every row, in the current sort order
        self._view: list[int] = []  # the rows shown (a filter of _order)
        self._brushes: dict[str, QBrush] = {}
        self._align = [
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if c.align_right
            else int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            for c in self.columns
        ]
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    # ----------------------------------------------------------------- content

    def set_prepared(self, prepared: Prepared) -> None:
        self.beginResetModel()
        self._data = prepared
        self._order = list(range(len(prepared.rows)))
        if self.sort_column >= 0:
            self._order = self._sorted(self._order)
        self._view = list(self._order)
        self.endResetModel()

    def set_view(self, view: list[int]) -> None:
        if view == self._view:
            return  # nothing to redraw (typing "深圳市…" keeps every row for a while), selection kept
        # A layout change, not a reset: a reset also resets the view's headers and scroll state and
        # cost the search a second full repaint of the table per keystroke.
        self.layoutAboutToBeChanged.emit()
        self._view = view
        # No row keeps its place: the selection and the current row go, as a reset would drop them.
        held = self.persistentIndexList()
        if held:
            self.changePersistentIndexList(held, [QModelIndex()] * len(held))
        self.layoutChanged.emit()

    @property
    def order(self) -> list[int]:
        return self._order

    @property
    def rows(self) -> Sequence[Any]:
        return self._data.rows

    def view(self) -> list[int]:
        return self._view

    def row(self, view_row: int) -> Any:
        return self._data.rows[self._view[view_row]]

    def view_row_of(self, predicate: Callable[[Any], bool]) -> int:
        for i, n in enumerate(self._view):
            if predicate(self._data.rows[n]):
                return i
        return -1

    # ----------------------------------------------------------------- Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._data.cells[self._view[index.row()]][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and self._data.colors and (
                self._color_columns is None or index.column() in self._color_columns):
            color = self._data.colors[self._view[index.row()]]
            if color is None:
                return None
            brush = self._brushes.get(color)
            if brush is None:
                brush = self._brushes[color] = QBrush(QColor(color))
            return brush
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._align[index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        shown = set(self._view) if len(self._view) != len(self._order) else None
        self.layoutAboutToBeChanged.emit()
        held = self.persistentIndexList()
        held_rows = [self._view[i.row()] for i in held]
        self._order = self._sorted(list(range(len(self._data.rows))))
        self._view = list(self._order) if shown is None else [n for n in self._order if n in shown]
        if held:  # the chosen row (and the current one) follow their rows to the new places
            place = {n: r for r, n in enumerate(self._view)}
            self.changePersistentIndexList(
                held, [self.index(place[n], i.column()) for i, n in zip(held, held_rows, strict=True)])
        self.layoutChanged.emit()

    def _sorted(self, numbers: list[int]) -> list[int]:
        col = self.columns[self.sort_column]
        rows, cells = self._data.rows, self._data.cells
        c = self.sort_column
        if col.sort_key is not None:
            key_fn = col.sort_key
            keys = [key_fn(rows[n]) for n in numbers]
        elif isinstance(cells, LazyCells):
            keys = cells.column(c, numbers)
        else:
            keys = [cells[n][c] for n in numbers]
        paired = sorted(zip(keys, numbers, strict=True), key=lambda kv: kv[0],
                        reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        return [n for _k, n in paired]
