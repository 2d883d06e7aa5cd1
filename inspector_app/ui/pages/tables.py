"""A table view set up the way every page wants it: fixed row heights, no per-row widgets; and the
cell painter of the big lists (``PlainCells``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from inspector_app.ui.tablemodel import RowsModel


def make_table(model: RowsModel, widths: Sequence[int], *, sortable: bool = True) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSortingEnabled(sortable)
    if sortable:
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the next control, not its next cell
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(36)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    set_widths(table, widths)
    return table


HEADER_ROOM = 40  # the header's padding, the sort arrow and a little air


def set_widths(table: QTableView, widths: Sequence[int]) -> None:
    """Column widths as given, but never narrower than the column's title (in bold, as the style
    sheet draws it): English titles are longer than the Chinese the widths were chosen for."""
    from PySide6.QtGui import QFont, QFontMetrics

    model = table.model()
    font = QFont(table.horizontalHeader().font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    for col, width in enumerate(widths):
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "") if model is not None else ""
        table.setColumnWidth(col, max(width, metrics.horizontalAdvance(title) + HEADER_ROOM))


def current_row(table: QTableView) -> int:
    index = table.currentIndex()
    if index.isValid():
        return index.row()
    rows = table.selectionModel().selectedRows()
    return rows[0].row() if rows else -1


class PlainCells(QStyledItemDelegate):
    """Paints a cell's text, its row's colour and the selection itself.

    Qt's own item painting goes through the app's style sheet for every cell: 6 of the 7 ms a
    repaint of 今日任务 took (about 140 visible cells), paid on every keystroke that changes the rows.
    This draws the same things (the selection in the style sheet's colours, the current cell's
    frame, the text elided in the column, aligned as the model says) straight with the painter.
    For models whose cells have only text, alignment and a foreground colour (``RowsModel``).
    """

    PADDING = 3  # what Qt's item painting leaves either side of the text

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        rect: QRect = option.rect
        state = option.state
        palette: QPalette = option.palette
        group = (QPalette.ColorGroup.Active if state & QStyle.StateFlag.State_Active
                 else QPalette.ColorGroup.Inactive)
        if state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, palette.color(group, QPalette.ColorRole.Highlight))
            color = palette.color(group, QPalette.ColorRole.HighlightedText)
        else:
            brush = index.data(Qt.ItemDataRole.ForegroundRole)
            color = brush.color() if brush is not None else palette.color(group, QPalette.ColorRole.Text)
        if state & QStyle.StateFlag.State_HasFocus:  # the current cell, as Qt frames it
            painter.setPen(palette.color(group, QPalette.ColorRole.Mid))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return
        painter.setPen(color)
        inner = rect.adjusted(self.PADDING, 0, -self.PADDING, 0)
        shown = option.fontMetrics.elidedText(
            str(text), Qt.TextElideMode.ElideRight, inner.width())
        painter.drawText(inner, int(index.data(Qt.ItemDataRole.TextAlignmentRole)), shown)
