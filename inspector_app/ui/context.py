"""What every page is given: the task manager, the change hub and the settings. No globals.

``op`` is the small Anki-style operation (aqt.operations.CollectionOp): run a use case on the
storage worker, then broadcast the change set it returned so every page refreshes only what it
shows. A use case returns its change set (``HasChanges``: ``Changes`` itself or a result carrying
``.changes``); a page that also needs data for itself returns the pair (result, data). The page
never builds a change set: the use case knows what it changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar, overload

from PySide6.QtCore import QObject, QSettings, Signal

from inspector_app.domain.clock import Clock, system_clock
from inspector_app.services.changes import Changes, HasChanges
from inspector_app.ui.i18n import Translations
from inspector_app.ui.taskman import Job, TaskManager

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R", bound=HasChanges)

ORGANIZATION = "inspector-app"
APPLICATION = "inspector-app"


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

    @overload
    def op(
        self,
        fn: Callable[[Job], R],
        on_done: Callable[[R], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Job: ...

    @overload
    def op(
        self,
        fn: Callable[[Job], tuple[R, T]],
        on_done: Callable[[tuple[R, T]], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Job: ...

    def op(
        self,
        fn: Callable[[Job], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Job:
        """A use case that changes data: its change set is broadcast after ``on_done`` ran.

        ``fn`` returns what the use case returned (``HasChanges``), or the pair (that, data the
        page shows): the two shapes the overloads allow, so the type checker holds every caller
        to them."""

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            outcome = result[0] if type(result) is tuple else result  # a pair, or the result itself
            changes = getattr(outcome, "changes", None)
            if isinstance(changes, Changes):
                self.notify(changes)
            else:  # the overloads refuse this; code not yet checked against them lands here
                log.warning("ctx.op: %s carries no change set; no page was told", type(outcome).__name__)

        return self.tasks.run(fn, done, on_error)

    def notify(self, changes: Changes) -> None:
        if changes:
            self.sig_changed.emit(changes)

    def remember(self, key: str, value: Any) -> None:
        self.settings.setValue(key, value)
        self.sig_remembered.emit(key)
