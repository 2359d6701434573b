"""`steward export`, stopped (SIGSTOP) at a named point for the test to SIGKILL it (#10 item 7).

`python -m tests.security.faults_export_pause POINT export --agreement ID --out PATH` runs the
real command (`steward.cli.main`) after wrapping one step of `steward.sharing.actions.do_export`
so that the process stops itself there; the parent sees it stopped and kills it. The points, in
the order an export passes them:

* ``writing``: the package is half written (its users file has just been opened);
* ``written``: the temporary package is complete, before its digest and the transaction;
* ``row``: inside the transaction, the Export row is inserted, the disclosure entry not yet;
* ``recorded``: the disclosure entry is appended, the transaction not yet committed;
* ``committed``: the transaction is committed, the package not yet moved into place.
"""

from __future__ import annotations

import os
import signal
import sys
import types
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")

POINTS = ("writing", "written", "row", "recorded", "committed")


def pause() -> None:
    """Stop here until killed (the parent never continues a stopped export)."""
    os.kill(os.getpid(), signal.SIGSTOP)


def _before(function: Callable[..., Any], when: Callable[..., bool] = lambda *a: True) -> Any:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if when(*args):
            pause()
        return function(*args, **kwargs)

    return wrapped


def _after(function: Callable[..., Any]) -> Any:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        pause()
        return result

    return wrapped


class _OsWithPausedReplace(types.ModuleType):
    """`os` for `steward.sharing.staging` alone: stops before the package is moved into place."""

    def __init__(self) -> None:
        super().__init__("os")

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def replace(source: Any, target: Any) -> None:
        pause()
        os.replace(source, target)


def install(point: str) -> None:
    import django

    django.setup()
    from steward.sharing import actions, package, staging

    if point == "writing":
        member = package._Member
        users = _before(member._first, lambda self, row: self.name == "users.csv")
        member._first = users  # type: ignore[method-assign]
    elif point == "written":
        actions._digest = _before(actions._digest)
    elif point == "row":
        actions.record_disclosure = _before(actions.record_disclosure)
    elif point == "recorded":
        actions.record_disclosure = _after(actions.record_disclosure)
    elif point == "committed":
        staging.os = _OsWithPausedReplace()
    else:
        raise SystemExit(f"unknown point {point!r}; one of {', '.join(POINTS)}")


def main() -> None:
    install(sys.argv[1])
    from steward.cli import main as steward

    steward(["steward", *sys.argv[2:]])


if __name__ == "__main__":
    main()
