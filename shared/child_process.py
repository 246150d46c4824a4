"""What every worker process the hub starts does first: end when the hub ends."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading


def exit_with_parent() -> None:
    """Exit as soon as the hub is gone, however it went.

    The spawn start method gives the child a pipe whose other end only the parent holds:
    it reads as ready (EOF) the moment the parent dies, even by kill -9. Waiting on the
    task queue is no help, because this process holds that pipe's write end itself.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)  # no clean-up to do: the hub that wanted the results is gone

    threading.Thread(target=watch, name="exit-with-hub", daemon=True).start()
