"""The temporary file a package is written to before `do_export` moves it into place.

A package is written beside its destination and moved there only after its disclosure entry
commits (`steward.sharing.actions`). A process killed meanwhile (SIGKILL, the OOM killer, a
power cut) leaves the temporary file behind: a partial or whole copy of student data that
nothing delivers and nothing would ever delete. `remove_stale` deletes the leftovers of dead
processes before the next export, and `create` makes the file owner-only from its first byte,
because it holds student records (R116: personal information kept from other local users).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path

logger = logging.getLogger(__name__)

# ".<destination>.<pid>.<random>.part"; releases before this module wrote ".<dest>.<pid>.part".
_PART = re.compile(r"^\.(?P<target>.+)\.(?P<pid>\d+)(?:\.[0-9a-f]{8})?\.part$")


def temporary_path(target: Path) -> Path:
    """A new hidden name beside `target`, unique to this process and call: two exports to the
    same destination at once (two threads of one server) never share a file."""
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")


def create(path: Path) -> None:
    """Create `path` empty and owner-only (0600); the package writer then fills it in place."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def remove_stale(target: Path, *, whole_folder: bool = False) -> list[Path]:
    """Delete the temporary packages dead processes left beside `target`; returns them.

    Only files named as `temporary_path` names them are touched, and only those of
    `target` itself unless `whole_folder` (Steward's own exports folder, where every such
    file is an export's). A file whose process still runs, or whose id this process now has,
    is kept: it may be an export in progress.
    """
    removed = []
    for path in sorted(target.parent.glob(".*.part")):
        found = _PART.match(path.name)
        if found is None or (not whole_folder and found["target"] != target.name):
            continue
        pid = int(found["pid"])
        if pid == os.getpid() or _alive(pid):
            continue
        path.unlink(missing_ok=True)
        logger.warning("Removed %s, left by export process %d, which is gone", path, pid)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
