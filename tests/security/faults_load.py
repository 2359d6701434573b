"""Concurrent writes through real HTTP, until the server dies (#10 item 7).

Three write paths, one thread per signed-in user, each user's requests one after another:

* staff open student records (`/students/<pk>/`): one ledger read entry per record part;
* guardians opt their child out of release to recruiters and withdraw it, in turn
  (`/portal/children/<pk>/directory/`): a consent row and its entry each time;
* the privacy officer reviews pending break-glass grants (`/officer/break-glass/<pk>/`).

Every request carries its own X-Request-ID, which the ledger entries it writes keep, so the
test can ask the database which answered writes it holds.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

# What each kind of write answers when it is done: the page, or a redirect back to the form's
# page (opt-outs) or to the review queue, never to a login or second-factor page.
DONE = {"read": 200, "opt_out": 302, "withdraw": 302, "review": 302}
Step = tuple[str, str, str, dict[str, str] | None]  # kind, method, path, form


@dataclass(frozen=True)
class Outcome:
    request_id: str
    kind: str
    status: int | None  # None: the connection broke before an answer
    cut: bool = False  # the request was sent and the server died before answering
    location: str = ""  # where a redirect pointed

    @property
    def done(self) -> bool:
        """Whether the server answered that the write was made."""
        if self.status != DONE[self.kind]:
            return False
        if self.kind == "review":
            return self.location == "/officer/break-glass/"
        return self.status == 200 or self.location.endswith("/directory/")


@dataclass
class Load:
    """One round of load against `url`; `outcomes` fills as requests finish."""

    url: str
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self, district: dict[str, Any], opted_out: set[int], pending: list[int]) -> None:
        """Start every worker: `opted_out` are children with an open recruiter opt-out now,
        `pending` the grants still to review (split between two officer threads)."""
        for n, member in enumerate(district["staff"]):
            self._spawn(f"s{n}", member["session"], self._reads(member["students"]))
        for n, family in enumerate(district["guardians"]):
            child = family["child"]
            self._spawn(f"g{n}", family["session"], self._toggles(child, child in opted_out))
        for n in range(2):
            self._spawn(f"o{n}", district["officer"], self._reviews(pending[n::2]))

    def done(self, kind: str | None = None) -> list[Outcome]:
        with self._lock:
            return [o for o in self.outcomes if o.done and kind in (None, o.kind)]

    def refused(self) -> list[Outcome]:
        """Requests answered otherwise than done (an error page, a redirect to sign in)."""
        with self._lock:
            return [o for o in self.outcomes if o.status is not None and not o.done]

    def join(self) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=120)
            assert not thread.is_alive(), "a load thread did not stop"

    # -- the workers ---------------------------------------------------------------------------

    def _reads(self, students: list[int]) -> Iterator[Step]:
        while True:
            for pk in students:
                yield "read", "GET", f"/students/{pk}/", None

    def _toggles(self, child: int, opted_out: bool) -> Iterator[Step]:
        path = f"/portal/children/{child}/directory/"
        while True:
            if opted_out:
                yield "withdraw", "POST", path, {"withdraw": "recruiters"}
            else:
                yield "opt_out", "POST", path, {"opt_out": "recruiters"}
            opted_out = not opted_out

    def _reviews(self, grants: list[int]) -> Iterator[Step]:
        form = {"finding": "justified", "note": "Reviewed under load (fault test).", "close": "on"}
        for pk in grants:
            yield "review", "POST", f"/officer/break-glass/{pk}/", form

    def _spawn(self, worker: str, session: str, steps: Iterator[Step]) -> None:
        thread = threading.Thread(target=self._work, args=(worker, session, steps), daemon=True)
        self._threads.append(thread)
        thread.start()

    def _work(self, worker: str, session: str, steps: Iterator[Step]) -> None:
        # Django's CSRF check compares the cookie's secret with the header (the AJAX way).
        token = secrets.token_hex(16)
        client = httpx.Client(
            base_url=self.url,
            cookies={"sessionid": session, "csrftoken": token},
            headers={"X-CSRFToken": token},
            timeout=60,
        )
        send: Callable[..., httpx.Response] = client.request
        with client:
            for number, (kind, method, path, form) in enumerate(steps):
                if self.stop.is_set():
                    return
                request_id = f"{self.name}-{worker}-{number}"
                try:
                    answer = send(method, path, data=form, headers={"X-Request-ID": request_id})
                except httpx.ConnectError:
                    return  # the server is gone; nothing was sent
                except httpx.TransportError:
                    self._add(Outcome(request_id, kind, None, cut=True))
                    return
                outcome = Outcome(
                    request_id,
                    kind,
                    answer.status_code,
                    location=answer.headers.get("location", ""),
                )
                self._add(outcome)
                if not outcome.done:
                    return  # the test reports it; carrying on would only repeat it

    def _add(self, outcome: Outcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)
