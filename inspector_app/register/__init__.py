"""Reading enterprise registers as Chinese offices export them (XLSX, CSV in UTF-8 or GB18030).

Plain Python on purpose (no SQL): the central server validates uploaded registers with the same code.
"""

from inspector_app.register.reader import RegisterFileError
from inspector_app.register.rows import (
    RECORD_FIELDS,
    Record,
    RegisterFile,
    RegisterRow,
    RowProblem,
    RowResult,
    cell_text,
    read_register,
)
from inspector_app.register.sheets import is_formula_like, sheet_value

__all__ = [
    "RECORD_FIELDS",
    "Record",
    "RegisterFile",
    "RegisterFileError",
    "RegisterRow",
    "RowProblem",
    "RowResult",
    "cell_text",
    "is_formula_like",
    "read_register",
    "sheet_value",
]
