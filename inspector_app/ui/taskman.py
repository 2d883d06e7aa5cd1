"""Where work runs: one serial storage worker for every AppServices call, a small pool for the rest.

Modelled on Anki's ``aqt/taskman.py``: the GUI thread never touches the database or the disk. A
storage job gets the open ``AppServices`` handed in by the worker, so no page can hold (and misuse)
it on the GUI thread. Results come back by a queued signal and the callbacks run on the GUI thread.

The storage worker is serial on purpose: SQLite writes one transaction at a time anyway, and a
single queue keeps the answers of a visit in the order the inspector gave them.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

if TYPE_CHECKING:  # the service layer is imported on the storage worker, never at start-up
    from inspector_app.services.context import AppServices

log = logging.getLogger(__name__)

T = TypeVar("T")


class Cancelled(Exception):
    """Raised inside a job that noticed its abort flag; reported to nobody."""


class NoWorkspace(RuntimeError):
    """A storage job ran before a workspace was opened."""


class Job:
    """What a running job sees: the services (storage jobs only), progress and the abort flag."""

    def __init__(self, manager: TaskManager, task_id: int, services: AppServices | None) -> None:
        self._manager = manager
        self._id = task_id
        self._services = services
        self._abort = threading.Event()

    @property
    def services(self) -> AppServices:
        if self._services is None:
            raise NoWorkspace("没有打开的工作区")
        return self._services

    @property
    def aborted(self) -> bool:
        return self._abort.is_set()

    def adopt(self, services: AppServices) -> None:
        """From inside a storage job: the newly opened workspace replaces the old one."""
        self._manager.adopt(self, services)

    def check(self) -> None:
        """Call between steps of a long job: stops it cleanly once the user cancelled."""
        if self._abort.is_set():
            raise Cancelled

    def report(self, done: int, total: int, text: str = "") -> None:
        self._manager.sig_task_progress.emit(self._id, done, total, text)


@dataclass
class _Task(Generic[T]):
    id: int
    fn: Callable[[Job], T]
    on_done: Callable[[T], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[int, int, str], None] | None
    key: str | None
    generation: int
    job: Job | None = field(default=None)


class _StorageThread(QThread):
    """Runs storage jobs one after another; owns the open AppServices."""

    def __init__(self, manager: TaskManager) -> None:
        super().__init__()
        self.setObjectName("storage-worker")
        self._manager = manager
        self._queue: queue.SimpleQueue[_Task[Any] | None] = queue.SimpleQueue()
        self.services: AppServices | None = None

    def submit(self, task: _Task[Any]) -> None:
        self._queue.put(task)

    def stop(self) -> None:
        self._queue.put(None)

    def run(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                break
            self._manager._execute(task, self.services)
        if self.services is not None:
            try:
                self.services.close()
            except Exception:  # closing at exit must never hide the real reason for quitting
                log.exception("closing the workspace failed")
            self.services = None


class _PoolRunnable(QRunnable):
    def __init__(self, manager: TaskManager, task: _Task[Any]) -> None:
        super().__init__()
        self._manager = manager
        self._task = task

    def run(self) -> None:
        self._manager._execute(self._task, None)


class TaskManager(QObject):
    """``run`` for storage work, ``run_in_pool`` for pure computation; callbacks on the GUI thread.

    A ``key`` makes a job supersede earlier ones with the same key: a search typed while the last
    one still runs drops the old result instead of showing it (and a queued one is skipped).
    """

    sig_task_done = Signal(int, object)
    sig_task_failed = Signal(int, object, str)
    sig_task_progress = Signal(int, int, int, str)
    # Errors nobody asked to handle: the main window shows them.
    sig_error = Signal(str)
    sig_busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, pool_size: int = 2) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._tasks: dict[int, _Task[Any]] = {}
        self._generations: dict[str, int] = {}
        self._lock = threading.Lock()
        self._storage = _StorageThread(self)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(pool_size)
        self.sig_task_done.connect(self._on_done)
        self.sig_task_failed.connect(self._on_failed)
        self.sig_task_progress.connect(self._on_progress)
        self._storage.start()
        self._closed = False

    # ----------------------------------------------------------------- submit

    def run(
        self,
        fn: Callable[[Job], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        on_progress: Callable[[int, int, str], None] | None = None,
        key: str | None = None,
    ) -> Job:
        """Queue a job on the storage worker (every AppServices call goes through here)."""
        task = self._make(fn, on_done, on_error, on_progress, key)
        if self._closed:
            raise RuntimeError("task manager is closed")
        self._storage.submit(task)
        return self._job_for(task)

    def run_in_pool(
        self,
        fn: Callable[[Job], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        key: str | None = None,
    ) -> Job:
        """Queue work that needs no database (filtering, decoding images) on the pool."""
        task = self._make(fn, on_done, on_error, None, key)
        self._pool.start(_PoolRunnable(self, task))
        return self._job_for(task)

    def cancel(self, job: Job) -> None:
        job._abort.set()

    def _make(
        self,
        fn: Callable[[Job], T],
        on_done: Callable[[T], None] | None,
        on_error: Callable[[BaseException], None] | None,
        on_progress: Callable[[int, int, str], None] | None,
        key: str | None,
    ) -> _Task[T]:
        with self._lock:
            task_id = next(self._ids)
            generation = 0
            if key is not None:
                generation = self._generations.get(key, 0) + 1
                self._generations[key] = generation
            task: _Task[T] = _Task(task_id, fn, on_done, on_error, on_progress, key, generation)
            task.job = Job(self, task_id, None)
            was_idle = not self._tasks
            self._tasks[task_id] = task
        if was_idle:
            self.sig_busy_changed.emit(True)
        return task

    @staticmethod
    def _job_for(task: _Task[Any]) -> Job:
        assert task.job is not None
        return task.job

    def _superseded(self, task: _Task[Any]) -> bool:
        return task.key is not None and self._generations.get(task.key) != task.generation

    # ----------------------------------------------------------------- worker side

    def _execute(self, task: _Task[Any], services: AppServices | None) -> None:
        """Runs on a worker thread: catches everything, so a failing job never kills the worker."""
        if self._superseded(task) or (task.job is not None and task.job.aborted):
            self.sig_task_done.emit(task.id, _SKIPPED)
            return
        assert task.job is not None
        task.job._services = services
        try:
            result = task.fn(task.job)
        except Cancelled:
            self.sig_task_done.emit(task.id, _SKIPPED)
        except BaseException as exc:
            self.sig_task_failed.emit(task.id, exc, traceback.format_exc())
        else:
            self.sig_task_done.emit(task.id, result)

    # ----------------------------------------------------------------- GUI side

    def adopt(self, job: Job, services: AppServices) -> None:
        """From inside a storage job: the newly opened workspace replaces the old one."""
        old = self._storage.services
        self._storage.services = services
        job._services = services
        if old is not None and old is not services:
            old.close()

    def _pop(self, task_id: int) -> _Task[Any] | None:
        with self._lock:
            task = self._tasks.pop(task_id, None)
            idle = not self._tasks
        if idle:
            self.sig_busy_changed.emit(False)
        return task

    @Slot(int, object)
    def _on_done(self, task_id: int, result: object) -> None:
        task = self._pop(task_id)
        if task is None or result is _SKIPPED or self._superseded(task):
            return
        if task.on_done is not None:
            task.on_done(result)

    @Slot(int, object, str)
    def _on_failed(self, task_id: int, exc: BaseException, trace: str) -> None:
        task = self._pop(task_id)
        if task is None or self._superseded(task):
            return
        if task.on_error is not None:
            task.on_error(exc)
            return
        log.error("background task failed:\n%s", trace)
        self.sig_error.emit(str(exc) or type(exc).__name__)

    @Slot(int, int, int, str)
    def _on_progress(self, task_id: int, done: int, total: int, text: str) -> None:
        task = self._tasks.get(task_id)
        if task is not None and task.on_progress is not None:
            task.on_progress(done, total, text)

    @property
    def closed(self) -> bool:
        """Shut down: a timer that fires after the window closed has nothing left to start."""
        return self._closed

    def pending(self) -> int:
        with self._lock:
            return len(self._tasks)

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Finish queued storage work (answers must reach the disk), then close the workspace."""
        if self._closed:
            return
        self._closed = True
        with self._lock:
            for task in self._tasks.values():
                if task.job is not None and task.on_progress is not None:
                    task.job._abort.set()
        self._storage.stop()
        self._storage.wait(timeout_ms)
        self._pool.waitForDone(timeout_ms)


class _Skipped:
    """Marker result of a job that was superseded or cancelled before it ran."""


_SKIPPED = _Skipped()
