"""What every page is given: the task manager, the change hub and the settings. No globals.

``op`` is the small Anki-style operation: run a use case on the storage worker, then broadcast
the ``Changes`` it returned so every page refreshes only what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QSettings, Signal

from inspector_app.domain.clock import Clock, system_clock
from inspector_app.services.changes import Changes
from inspector_app.ui.i18n import Translations
from inspector_app.ui.taskman import Job, TaskManager

T = TypeVar("T")

ORGANIZATION = "inspector-app"
APPLICATION = "inspector-app"


def changes_of(result: object) -> Changes | None:
    """The Changes a use case returned, whatever shape its result has."""
    if isinstance(result, Changes):
        return result
    found = getattr(result, "changes", None)
    if isinstance(found, Changes):
        return found
    if isinstance(result, tuple):
        for part in result:
            if isinstance(part, Changes):
                return part
    return None


class UiContext(QObject):
    sig_changed = Signal(object)  # Changes
    sig_status = Signal(str)  # a short message for the status bar
    sig_remembered = Signal(str)  # the key of a setting just changed

    def __init__(
        self,
        tasks: TaskManager,
        settings: QSettings,
        translations: Translations,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.settings = settings
        self.translations = translations
        self.account = str(settings.value("account", "") or "")
        self.clock: Clock = system_clock  # tests set a fixed one before a workspace is opened

    @property
    def lang(self) -> str:
        return self.translations.lang

    def run(
        self,
        fn: Callable[[Job], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        key: str | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Job:
        return self.tasks.run(fn, on_done, on_error, key=key, on_progress=on_progress)

    def op(
        self,
        fn: Callable[[Job], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Job:
        """A use case that changes data: its Changes are broadcast after ``on_done`` ran."""

        def done(result: T) -> None:
            if on_done is not None:
                on_done(result)
            changes = changes_of(result)
            if changes:
                self.sig_changed.emit(changes)

        return self.tasks.run(fn, done, on_error)

    def notify(self, changes: Changes) -> None:
        if changes:
            self.sig_changed.emit(changes)

    def remember(self, key: str, value: Any) -> None:
        self.settings.setValue(key, value)
        self.sig_remembered.emit(key)
