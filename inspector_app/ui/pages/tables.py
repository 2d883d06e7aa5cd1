"""A table view set up the way every page wants it: fixed row heights, no per-row widgets."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

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
