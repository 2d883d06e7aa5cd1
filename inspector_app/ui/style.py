"""The look: calm, high contrast (readable in a bright site office), large touch targets.

Colours are named once here; widgets say what they are (object names and dynamic properties such
as ``answer="N"``) and never set colours themselves.
"""

from __future__ import annotations

INK = "#1f2328"
MUTED = "#57606a"
LINE = "#d0d7de"
PAPER = "#ffffff"
BACKGROUND = "#f3f5f7"
ACCENT = "#0b5cad"
ACCENT_SOFT = "#e4eefa"
GOOD = "#1a7f37"
BAD = "#c62828"
NEUTRAL = "#6e7781"
WARN = "#9a6700"
# The keyboard focus: one colour that stands out on white, on the accent blue and on the dark
# navigation alike, so where the keys go is always visible.
FOCUS = "#e07b00"

STYLESHEET = f"""
QWidget {{
    color: {INK};
    font-size: 15px;
    /* Fusion's stock tick and cross on 确定/取消 clash with the flat buttons: words only */
    dialogbuttonbox-buttons-have-icons: 0;
}}
QMainWindow, QDialog, QStackedWidget#pages, QWidget#page {{
    background: {BACKGROUND};
}}
QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {BACKGROUND};
    border: none;
}}
QLabel#pageTitle {{
    font-size: 22px;
    font-weight: 600;
    padding: 4px 0 8px 0;
}}
QLabel#sectionTitle {{
    font-size: 18px;
    font-weight: 600;
    padding: 8px 0 4px 0;
}}
QLabel#muted, QLabel#hint {{
    color: {MUTED};
}}
QLabel#hint {{
    font-size: 13px;
}}
QLabel#error {{
    color: {BAD};
    font-weight: 600;
}}
QLabel#badge {{
    background: {ACCENT_SOFT};
    color: {ACCENT};
    border-radius: 10px;
    padding: 2px 10px;
    font-weight: 600;
}}
QLabel#lockBanner {{
    background: #eaf5ec;
    border: 1px solid #b7dfc0;
    border-radius: 8px;
    padding: 10px 14px;
}}
QFrame#card, QFrame#itemRow {{
    background: {PAPER};
    border: 1px solid {LINE};
    border-radius: 10px;
}}
QFrame#itemRow[current="true"] {{
    border: 2px solid {ACCENT};
}}
QFrame#itemRow[invalid="true"] {{
    border: 2px solid {BAD};
}}
QFrame#findingEditor {{
    background: #fff5f5;
    border: 1px solid #f3c2c2;
    border-radius: 8px;
}}
QListWidget#nav {{
    background: #18324d;
    color: #e8eef5;
    border: none;
    font-size: 16px;
    padding-top: 12px;
    outline: none;
}}
QListWidget#nav::item {{
    padding: 14px 18px;
    color: #e8eef5;
}}
QListWidget#nav::item:selected {{
    background: #2c5582;
    color: white;
    border-left: 4px solid #8cc4ff;
}}
QListWidget#sectionNav {{
    background: {PAPER};
    border: 1px solid {LINE};
    border-radius: 10px;
    padding: 6px;
    outline: none;
}}
QListWidget#sectionNav::item {{
    padding: 10px 8px;
    border-radius: 6px;
}}
QListWidget#sectionNav::item:selected {{
    background: {ACCENT_SOFT};
    color: {ACCENT};
}}
QPushButton {{
    background: {PAPER};
    border: 1px solid {LINE};
    border-radius: 8px;
    padding: 8px 16px;
    min-height: 24px;
}}
QPushButton:hover {{
    border-color: {ACCENT};
}}
QPushButton:focus, QPushButton#primary:focus {{
    border: 3px solid {FOCUS};
    padding: 6px 14px;
}}
QPushButton:disabled {{
    color: #8c959f;
    background: #f0f2f4;
}}
QPushButton#primary {{
    background: {ACCENT};
    color: white;
    border: 1px solid {ACCENT};
    font-weight: 600;
}}
QPushButton#primary:focus {{
    border: 3px solid {FOCUS};
    padding: 6px 14px;
}}
QPushButton#primary:disabled {{
    background: #9fb8d3;
    border-color: #9fb8d3;
}}
QPushButton#answer {{
    min-width: 92px;
    min-height: 38px;
    font-size: 16px;
    font-weight: 600;
    color: {MUTED};
}}
QPushButton#answer[answer="Y"]:checked {{
    background: {GOOD};
    border-color: {GOOD};
    color: white;
}}
QPushButton#answer[answer="N"]:checked {{
    background: {BAD};
    border-color: {BAD};
    color: white;
}}
QPushButton#answer[answer="NA"]:checked {{
    background: {NEUTRAL};
    border-color: {NEUTRAL};
    color: white;
}}
QPushButton#answer:disabled:!checked {{
    color: #b0b7bf;
}}
QLineEdit, QPlainTextEdit, QTextEdit, QSpinBox, QDoubleSpinBox, QDateEdit, QComboBox {{
    background: {PAPER};
    border: 1px solid {LINE};
    border-radius: 6px;
    padding: 6px 8px;
    min-height: 24px;
    selection-background-color: {ACCENT};
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QSpinBox:focus, QDoubleSpinBox:focus,
QDateEdit:focus, QComboBox:focus {{
    border: 2px solid {FOCUS};
}}
QCheckBox:focus, QRadioButton:focus {{
    background: #fff1de;
    border-radius: 4px;
}}
QTableView:focus, QListWidget:focus, QTreeView:focus {{
    border: 2px solid {FOCUS};
}}
QTableView:focus {{
    selection-background-color: #cfe2f8;
}}
QListWidget#nav:focus {{
    border: none;
    border-right: 4px solid {FOCUS};
}}
QTabBar::tab:focus {{
    border: 2px solid {FOCUS};
}}
QLineEdit[invalid="true"] {{
    border: 2px solid {BAD};
}}
QLineEdit#search {{
    font-size: 16px;
    padding: 8px 12px;
    border-radius: 18px;
}}
QTableView {{
    background: {PAPER};
    alternate-background-color: #f7f9fb;
    border: 1px solid {LINE};
    border-radius: 8px;
    gridline-color: #eef1f4;
    selection-background-color: {ACCENT_SOFT};
    selection-color: {INK};
}}
QHeaderView::section {{
    background: #eef1f4;
    border: none;
    border-bottom: 1px solid {LINE};
    padding: 8px 6px;
    font-weight: 600;
}}
QStatusBar {{
    background: {PAPER};
    border-top: 1px solid {LINE};
    color: {MUTED};
}}
QStatusBar QLabel {{
    padding: 0 10px;
}}
QProgressBar {{
    border: 1px solid {LINE};
    border-radius: 6px;
    text-align: center;
    background: {PAPER};
}}
QProgressBar::chunk {{
    background: {ACCENT};
    border-radius: 5px;
}}
QCheckBox, QRadioButton {{
    spacing: 8px;
    padding: 4px 0;
}}
QTabWidget::pane {{
    border: 1px solid {LINE};
    border-radius: 8px;
    background: {PAPER};
    top: -1px;
}}
QTabBar::tab {{
    padding: 8px 18px;
    border: 1px solid transparent;
}}
QTabBar::tab:selected {{
    background: {PAPER};
    border: 1px solid {LINE};
    border-bottom-color: {PAPER};
    border-top-left-radius: 8px;
    border-top-right-radius: 8px;
    font-weight: 600;
}}
QFrame#signaturePad {{
    background: {PAPER};
    border: 2px dashed {LINE};
    border-radius: 8px;
}}
"""

# Table rows that need attention, shared by the models (not part of QSS: models paint them).
OVERDUE_TEXT = BAD
MAJOR_TEXT = BAD
