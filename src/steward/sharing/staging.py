"""The temporary file a package is written to before `do_export` moves it into place.

A package is written beside its destination and moved there only after its disclosure entry
commits (`steward.sharing.actions`). A process killed meanwhile (SIGKILL, the OOM killer, a
power cut) leaves the temporary file behind: a partial or whole copy of student data that
nothing delivers and nothing would ever delete. So each temporary file is locked (`flock`) by
the export writing it for as long as it exists, and `remove_stale` deletes those nobody holds
any more: the kernel drops a dead process's locks, so a lock can be neither left behind nor
confused with another process that was given the same id. The file is owner-only from its
first byte, because it holds student records (R116: kept from other local users).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import secrets
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)

# ".<destination>.<pid>.<random>.part"; releases before this module wrote ".<dest>.<pid>.part".
# Both readings are tried: a random part that happens to be all digits also reads as the old
# form with the pid taken into the destination's name.
_PART = re.compile(r"^\.(?P<target>.+)\.\d+\.[0-9a-f]{8}\.part$")
_OLD_PART = re.compile(r"^\.(?P<target>.+)\.\d+\.part$")


def _destinations(name: str) -> set[str]:
    """The destinations a temporary file's name can belong to (none: not one of ours)."""
    return {found["target"] for found in (_PART.match(name), _OLD_PART.match(name)) if found}


class Staged:
    """A locked, owner-only temporary file beside a destination (`stage`)."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle = handle  # open, and so locked, until moved or discarded

    def move_to(self, target: Path) -> None:
        """Put the finished file at `target` (atomically, on the same filesystem)."""
        try:
            os.replace(self.path, target)
        finally:
            self._handle.close()

    def discard(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        finally:
            self._handle.close()


def stage(target: Path) -> Staged:
    """Create a new, empty, owner-only (0600) file beside `target`, locked by this export.

    Its name is unique to the process and the call, so two exports to the same destination at
    once (two threads of one server) never share a file.
    """
    while True:
        path = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        handle = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        fcntl.flock(handle, fcntl.LOCK_EX)
        # Between creating and locking, `remove_stale` elsewhere may have taken the file for
        # a dead export's and deleted it: start again with a new name if so.
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
                return Staged(path, handle)
        handle.close()


def remove_stale(target: Path, *, whole_folder: bool = False) -> list[Path]:
    """Delete the temporary packages beside `target` that no export holds; returns them.

    Only files named as `stage` names them are touched, and only those of `target` itself
    unless `whole_folder` (Steward's own exports folder, where every such file is an export's).
    """
    removed = []
    for path in sorted(target.parent.glob(".*.part")):
        destinations = _destinations(path.name)
        if not destinations or (not whole_folder and target.name not in destinations):
            continue
        try:
            handle = open(path, "rb")  # noqa: SIM115 - held across the lock and the unlink
        except FileNotFoundError:
            continue  # finished or removed meanwhile
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # an export is writing it
            path.unlink(missing_ok=True)
        logger.warning("Removed %s, the partial package of an export that did not finish", path)
        removed.append(path)
    return removed
