"""All database work of the app, off the event loop, in the order it was asked for.

One long-lived Textual thread worker consumes a FIFO of jobs. A single queue (rather than
a worker per edit) keeps edits in order: two debounced saves of the same field can never
land in the wrong order and leave the older text on disk. Results come back on the UI
thread through the job's callback; failures go to one handler (`Host.on_db_error`).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

Job = Callable[["Store"], Any]
Done = Callable[[Any], object]
Failed = Callable[[BaseException], object]
T = TypeVar("T")


@dataclass
class _Task:
    job: Job
    done: Done | None
    failed: Failed | None
    background: bool = False


_STOP = object()


class DbQueue:
    """Runs jobs against the store one at a time on a worker thread."""

    def __init__(self, app: Host, store: Store) -> None:
        self.app = app
        self.store = store
        self._tasks: queue.Queue[_Task | object] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        self.app.run_worker(
            self._consume, thread=True, exit_on_error=False, name="database", group="database"
        )

    def submit(
        self,
        job: Callable[[Store], T],
        done: Callable[[T], object] | None = None,
        failed: Failed | None = None,
        *,
        background: bool = False,
    ) -> None:
        """Queue `job`. A `background` job (the meeting's periodic reads and heartbeats)
        runs in order like any other but is not work anyone waits for: it leaves the queue
        idle, so quitting and `wait_idle` never wait on it."""
        if not background:
            with self._lock:
                self._pending += 1
                self._idle.clear()
        self._tasks.put(_Task(job, done, failed, background))

    @property
    def is_idle(self) -> bool:
        return self._idle.is_set()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every submitted job has run (used before quitting)."""
        return self._idle.wait(timeout)

    def _deliver(self, callback: Callable[[Any], object], value: Any) -> None:
        # RuntimeError: the app is closing; the write happened, nobody is left to show it.
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(callback, value)

    def stop(self) -> None:
        self._tasks.put(_STOP)

    def _consume(self) -> None:
        worker = get_current_worker()
        while True:
            try:
                # Wake up now and then so an app that closes without stop() (a test that
                # ends abruptly) does not wait forever on this thread.
                task = self._tasks.get(timeout=0.25)
            except queue.Empty:
                if worker.is_cancelled:
                    return
                continue
            if task is _STOP:
                return
            assert isinstance(task, _Task)
            try:
                result = task.job(self.store)
            except Exception as exc:
                self._deliver(task.failed or self.app.on_db_error, exc)
            else:
                if task.done is not None:
                    self._deliver(task.done, result)
            finally:
                if not task.background:
                    with self._lock:
                        self._pending -= 1
                        if self._pending == 0:
                            self._idle.set()
