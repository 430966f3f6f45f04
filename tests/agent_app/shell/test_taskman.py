"""The task manager's late results: what a background operation opened (a login's HTTP client)
is released when its result comes after the app shut down, and only then."""

from __future__ import annotations

import threading

from agent_app.shell.taskman import TaskManager, op


class Held:
    """A result that holds something to release (as a login holds its client)."""

    def __init__(self) -> None:
        self.closed = threading.Event()

    def close(self) -> None:
        self.closed.set()


def test_a_result_taken_by_its_callback_is_not_released(qtbot) -> None:  # type: ignore[no-untyped-def]
    taskman = TaskManager()
    held, taken = Held(), []
    op(lambda: held).success(taken.append).dropped(Held.close).run(taskman, executor="net")
    qtbot.waitUntil(lambda: taken == [held], timeout=5_000)
    taskman.shutdown()
    assert not held.closed.is_set()


def test_a_result_that_comes_after_shutdown_is_released(qtbot) -> None:  # type: ignore[no-untyped-def]
    taskman = TaskManager()
    go, held, taken = threading.Event(), Held(), []

    def work() -> Held:
        go.wait(10)
        return held

    op(work).success(taken.append).dropped(Held.close).run(taskman, executor="net")
    taskman.shutdown()  # the network call is still out: shutdown does not wait for it
    go.set()
    assert held.closed.wait(5)  # released on the worker thread, with no event loop needed
    assert taken == []


def test_a_result_queued_before_shutdown_is_released_when_delivered(qtbot) -> None:  # type: ignore[no-untyped-def]
    taskman = TaskManager()
    held, taken = Held(), []
    finished = threading.Event()
    # One thread runs both in order: when `finished` is set, the result is already queued for
    # the GUI thread, which has not run since.
    op(lambda: held).success(taken.append).dropped(Held.close).run(taskman, executor="db")
    taskman.executors["db"].submit(finished.set)
    assert finished.wait(5)
    assert not held.closed.is_set()
    taskman.shutdown()
    qtbot.waitUntil(held.closed.is_set, timeout=5_000)
    assert taken == []


def test_a_failed_operation_has_nothing_to_release(qtbot) -> None:  # type: ignore[no-untyped-def]
    taskman = TaskManager()
    go, released, failures = threading.Event(), [], []

    def work() -> Held:
        go.wait(10)
        raise OSError("refused")

    op(work).failure(failures.append).dropped(released.append).run(taskman, executor="net")
    taskman.shutdown()
    go.set()
    taskman.executors["net"].shutdown(wait=True)
    assert released == [] and failures == []
