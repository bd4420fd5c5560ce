"""Named points in a publish where a test can kill the process for real (SIGKILL), to prove
that a crash anywhere leaves nothing half-made (tests/test_faults.py).

    LEGOS_TEST_KILL_AT=rename legos publish ...     # dies right after the rename into place
    LEGOS_TEST_PAUSE_AT=hash legos publish ...       # waits there until its stdin closes
    LEGOS_TEST_PHASE_FD=5                            # writes each point reached to fd 5

The points: "copy" (a file half-copied and half-hashed into staging), "hash" (every file copied
and hashed, before the transaction), "rename" (the copies renamed into the version folder,
before the commit), "commit" (committed, before the publish let go of its staging lock).
Unset, a point costs one environment lookup.
"""

from __future__ import annotations

import os
import signal

POINTS = ("copy", "hash", "rename", "commit")
_last = [""]  # the point last reported, so a loop of chunks reports "copy" once


def point(name: str) -> None:
    fd = os.environ.get("LEGOS_TEST_PHASE_FD")
    if fd and _last[0] != name:
        _last[0] = name
        os.write(int(fd), f"{name}\n".encode())
    if os.environ.get("LEGOS_TEST_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("LEGOS_TEST_PAUSE_AT") == name:
        while os.read(0, 4096):  # a live publish, held still while a test looks at it
            pass
