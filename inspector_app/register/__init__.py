"""Reading enterprise registers as Chinese offices export them (XLSX, CSV in UTF-8 or GB18030).

Plain Python on purpose (no SQL): the central server validates uploaded registers with the same code.
"""

from inspector_app.register.reader import RegisterFileError
from inspector_app.register.rows import (
    RegisterFile,
    RegisterRow,
    RowProblem,
    RowResult,
    cell_text,
    read_register,
)

__all__ = [
    "RegisterFile",
    "RegisterFileError",
    "RegisterRow",
    "RowProblem",
    "RowResult",
    "cell_text",
    "read_register",
]
