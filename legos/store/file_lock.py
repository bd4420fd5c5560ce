"""A readers-writer lock between processes, on a lock file: many readers or one writer.

The embedded store holds it only for the length of one transaction, so an idle Python session,
a DCC or a long file copy never keeps anyone else out. POSIX `flock` gives shared and
exclusive modes; where it is missing (Windows) every holder is exclusive, which is correct,
only less concurrent.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("legos.store")
_POLL_S = 0.05
_SAY_AFTER_S = 1.0  # a wait shorter than this is not worth a message


class LockTimeout(Exception):
    """The lock was not had within the timeout."""


class ProcessLock:
    def __init__(self, path: Path, describe: Callable[[bool], str]) -> None:
        self.path = path
        self._describe = describe  # what to say while waiting, for a writer (True) or reader
        self._fd: int | None = None

    def acquire(self, exclusive: bool, timeout: float) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        start = time.monotonic()
        said = False
        try:
            while not self._try(fd, exclusive):
                waited = time.monotonic() - start
                if waited >= timeout:
                    raise LockTimeout(f"waited {waited:.1f} s")
                if not said and waited >= _SAY_AFTER_S:
                    log.warning(self._describe(exclusive))
                    said = True
                time.sleep(_POLL_S)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            else:  # pragma: no cover - Windows
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)

    @staticmethod
    def _try(fd: int, exclusive: bool) -> bool:
        try:
            if fcntl is not None:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            else:  # pragma: no cover - Windows
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
