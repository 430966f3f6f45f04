"""The one way the GUI does slow work: operations run off the GUI thread, results come back on it.

Modelled on Anki's operations/taskman. Three executors: `db` (serial: the local store, searches
and index writes, so they never race), `index` (one long job at a time: a rebuild) and `net`
(parallel: HTTP). Callbacks always run on the GUI thread; a failure without a handler is logged
and shown once in the status bar by the window.

What an operation changed is announced as `Changes` (a typed flag set, in the spirit of
Anki's OpChanges), never as a bare string: views test `Changes.QUESTIONS in changes`.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")


class Changes(enum.Flag):
    """What stored data an operation changed; views refresh on the parts they show."""

    NONE = 0
    ARTICLES = enum.auto()  # articles, categories: the KB pane searches again
    QUESTIONS = enum.auto()  # unanswered questions and their answers: 我的问题
    CALLS = enum.auto()  # call records: the call history
    USER = enum.auto()  # who is logged in changed: every view of user data starts over
    CODES = enum.auto()  # the center's code lists (wrap-up, not-ready, ...): pickers refresh


# What the GUI thread is handed: the callback, the finished future, and what releases a result
# nobody is left to take.
Delivery = tuple[Callable[[Future[Any]], None], Future[Any], Callable[[Any], None] | None]


class TaskManager(QObject):
    """Owns the executors; one per application."""

    _deliver = Signal(object)
    # Emitted on the GUI thread after any operation that changed stored data: views refresh.
    data_changed = Signal(object)  # Changes
    unhandled_error = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.executors = {
            "db": ThreadPoolExecutor(1, thread_name_prefix="seatdesk-db"),
            "index": ThreadPoolExecutor(1, thread_name_prefix="seatdesk-index"),
            "net": ThreadPoolExecutor(4, thread_name_prefix="seatdesk-net"),
        }
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)
        self.closed = False

    def submit(
        self,
        fn: Callable[[], Any],
        done: Callable[[Future[Any]], None],
        executor: str = "db",
        dropped: Callable[[Any], None] | None = None,
    ) -> None:
        """Run `fn` on `executor`, then `done(future)` on the GUI thread. A result that comes
        after shutdown reaches nobody: `dropped(result)` then releases what it holds (an open
        client), on whichever thread notices."""
        if self.closed:  # a timer or a late result after shutdown: nothing may start now
            log.debug("operation after shutdown dropped")
            return

        def finished(future: Future[Any]) -> None:
            if self.closed:
                self._drop(future, dropped)
            else:
                self._emit((done, future, dropped))

        future = self.executors[executor].submit(fn)
        future.add_done_callback(finished)

    def announce(self, changes: Changes) -> None:
        """Tell the views that `changes` happened outside an operation (a sync round)."""
        self.data_changed.emit(changes)

    def call_on_gui(self, fn: Callable[[], None]) -> None:
        """Run `fn` on the GUI thread soon (safe to call from any thread)."""
        future: Future[None] = Future()
        future.set_result(None)
        self._emit((lambda _f: fn(), future, None))

    def _emit(self, item: Delivery) -> None:
        try:
            self._deliver.emit(item)
        except RuntimeError:  # the application is gone: nobody is left to tell
            log.debug("result after shutdown dropped")
            self._drop(item[1], item[2])

    @Slot(object)
    def _on_deliver(self, item: Delivery) -> None:
        done, future, dropped = item
        if self.closed:  # the views these results were for are gone
            self._drop(future, dropped)
            return
        done(future)

    @staticmethod
    def _drop(future: Future[Any], dropped: Callable[[Any], None] | None) -> None:
        if dropped is None or future.cancelled() or future.exception() is not None:
            return
        try:
            dropped(future.result())
        except Exception:  # releasing after shutdown: nothing left to report it to
            log.debug("releasing a dropped result failed", exc_info=True)

    def shutdown(self) -> None:
        """Cancel queued work; wait for running local work (it holds the database), not for
        network calls (each ends by its own timeout; their results are dropped)."""
        self.closed = True
        for name, executor in self.executors.items():
            executor.shutdown(wait=name != "net", cancel_futures=True)


class Op(Generic[T]):
    """op(fn).success(cb).failure(cb).run(taskman): fn in the background, callbacks on the GUI."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._changes = Changes.NONE
        self._dropped: Callable[[T], None] | None = None

    def success(self, cb: Callable[[T], None]) -> Op[T]:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op[T]:
        self._failure = cb
        return self

    def dropped(self, cb: Callable[[T], None]) -> Op[T]:
        """Release a result that came after shutdown, when no success callback will take it
        (close the client a login opened). Runs on whichever thread notices; keep it simple."""
        self._dropped = cb
        return self

    def changes(self, what: Changes) -> Op[T]:
        """Announce `data_changed(what)` after a successful run."""
        self._changes = what
        return self

    def run(self, taskman: TaskManager, executor: str = "db") -> None:
        def done(future: Future[T]) -> None:
            exc = future.exception()
            if exc is not None:
                if self._failure is not None:
                    self._failure(exc)
                else:
                    log.error("background operation failed", exc_info=exc)
                    taskman.unhandled_error.emit(str(exc))
                return
            if self._success is not None:
                self._success(future.result())
            if self._changes:
                taskman.data_changed.emit(self._changes)

        taskman.submit(self._fn, done, executor, self._dropped)


def op(fn: Callable[[], T]) -> Op[T]:
    return Op(fn)
