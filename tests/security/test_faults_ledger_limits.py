"""Reasons for access fit the ledger's column on both databases (#10 item 7).

Found by `test_faults_serve` on PostgreSQL: a staff member holding several break-glass grants
for one student could not open the record (each reason quotes its threat, the joined reasons
outgrew `legitimate_interest`, and PostgreSQL refused the read with a 500), nor could anyone
open emergency access with a threat described at length. SQLite accepted both silently. Every
read must be recorded and none refused for its length (R56, R63, R82, R116 (4)).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

from steward.access import actions, reasons
from steward.access.policy import DIRECTORY, HEALTH
from steward.access.record import open_record
from steward.access.service import actor_for
from steward.audit.models import Action, Entry
from tests.web.conftest import district, users

__all__ = ["district", "users"]

THREAT = "The student collapsed at the bus stop and the ambulance crew asks about allergies. "


def test_reasons_that_fit_are_kept_whole() -> None:
    assert reasons.join_within(["section Math 3", "school Adams"], 100) == (
        "section Math 3; school Adams"
    )


def test_reasons_too_long_keep_the_whole_ones_that_fit_and_say_how_many_are_left_out() -> None:
    fitted = reasons.join_within(["x" * 40, "y" * 40, "z" * 40], 100)
    assert fitted == "x" * 40 + "; " + "y" * 40 + "; and 1 more"


def test_a_first_reason_too_long_is_clipped_with_an_ellipsis() -> None:
    alone = reasons.join_within(["w" * 150], 100)
    assert len(alone) == 100 and alone.endswith("w…")
    with_others = reasons.join_within(["w" * 150, "v", "u"], 100)
    assert len(with_others) <= 100 and with_others.endswith("…; and 2 more")


def open_grant(users: SimpleNamespace, district: SimpleNamespace, threat: str) -> int:
    grant = actions.do_open_break_glass(
        user=users.teacher,
        actor=actor_for(users.teacher),  # type: ignore[arg-type]
        student=district.ben,
        scopes=[HEALTH, DIRECTORY],
        threat=threat,
        parties="the ambulance crew",
    )
    return int(grant.pk)


def test_a_teacher_holding_many_break_glass_grants_can_still_open_the_record(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    grants = [open_grant(users, district, THREAT * 4) for _ in range(4)]
    before = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    assert open_record(None, users.teacher, district.ben.pk) is not None
    reads = Entry.objects.filter(seq__gt=before, action=Action.READ, scopes=HEALTH)
    (health,) = reads
    assert len(health.legitimate_interest) <= reasons.LIMIT
    assert health.legitimate_interest.startswith(f"break-glass #{grants[0]}: ")
    assert health.legitimate_interest.endswith("more")
    assert json.loads(health.detail)["break_glass"] == grants  # none left out of the detail


def test_emergency_access_with_a_threat_described_at_length_opens_and_keeps_it_whole(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    threat = THREAT * 20  # about 1,700 characters
    grant = open_grant(users, district, threat)
    opened = Entry.objects.filter(action=Action.SECURITY).order_by("-seq").first()
    assert opened is not None and json.loads(opened.detail)["break_glass"] == grant
    assert len(opened.legitimate_interest) == reasons.LIMIT
    assert json.loads(opened.detail)["threat"] == threat.strip()
    assert open_record(None, users.teacher, district.ben.pk) is not None
