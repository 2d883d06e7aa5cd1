"""The desktop app: the only package that imports Qt.

``binding`` is imported first, so every module imported after PySide6 avoids its source scan.
"""

from inspector_app.ui import binding as _binding  # noqa: F401
