"""Destruction of due record parts (R100–R105, R29, R60), and the daily run of it.

`destroy_student()` destroys one student's due items in one transaction: it re-checks every
blocker (`steward.retention.blockers`) inside the transaction, runs the narrow destroyers
(`steward.retention.destroy`), tombstones the ledger entries of every record part now wholly
destroyed (`steward.audit.actions.do_destroy_audit_entries`, R60: a part's log goes with the
part and no sooner), writes the certificate (R105) and one ledger entry. Any failure rolls
all of it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit import ledger
from steward.audit.actions import do_destroy_audit_entries
from steward.audit.models import Action
from steward.retention import blockers as blocking
from steward.retention import policy
from steward.retention.actions import SCOPE
from steward.retention.destroy import DESTROYERS
from steward.retention.models import Certificate, Exit, Item
from steward.roster.models import Student

PURPOSE = "retention: destruction of record parts past their retention period (R100-R105)"
WORKER = "steward worker (scheduled destruction)"
METHOD = (
    "Rows deleted from the database and fields blanked in place, with no copy kept by Steward; "
    "the access and disclosure log entries of every part destroyed whole were tombstoned with "
    "it (R60). Copies in backups expire with the backup cycle."
)


def _due(today: dt.date) -> dict[int, list[Item]]:
    """Each student's items due on `today` under an open exit, not yet destroyed. One query."""
    found: dict[int, list[Item]] = defaultdict(list)
    rows = Item.objects.filter(
        destroyed_at__isnull=True, destroy_on__lte=today, exit__cancelled_at__isnull=True
    ).order_by("student_id", "pk")
    for item in rows:
        found[item.student_id].append(item)
    return dict(found)


def content(cert: Certificate) -> str:
    """The certificate's fields as canonical JSON, which `sha256` covers."""
    data = {
        "student": cert.student_id,
        "student_name": cert.student_name,
        "student_sourced_id": cert.student_sourced_id,
        "exit": cert.exit_id,
        "destroyed_at": cert.destroyed_at.isoformat(),
        "operator": cert.operator_name,
        "rule": cert.rule,
        "method": cert.method,
        "items": cert.items,
        "ledger_seqs": cert.ledger_seqs,
        "backup_purge_by": cert.backup_purge_by.isoformat(),
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _rule(exit: Exit, parts: set[str]) -> str:
    return "; ".join(
        policy.RULES[part].format(
            years=policy.years(part), kind=exit.kind, date=exit.exit_date.isoformat()
        )
        for part in sorted(parts, reverse=True)  # temporary before transcript
    )


def _whole(exit: Exit, destroyed_now: set[tuple[str, str]]) -> set[str]:
    """The record parts of which every Massachusetts part is destroyed once this run is."""
    done = (
        set(
            Item.objects.filter(exit=exit, destroyed_at__isnull=False).values_list(
                "scope", "ma_part"
            )
        )
        | destroyed_now
    )
    return {
        scope
        for scope in {s for s, _p in destroyed_now}
        if all((scope, part) in done for part in policy.parts_of(scope))
    }


def destroy_student(
    student_id: int,
    *,
    today: dt.date,
    user: Any = None,
    request: HttpRequest | None = None,
) -> Certificate | None:
    """Destroy `student_id`'s items due on `today`; None when nothing is due. Raises
    ValidationError naming the blockers when something blocks it (R29, R102, R104)."""
    with transaction.atomic():
        items = list(
            Item.objects.select_for_update()
            .filter(
                student_id=student_id,
                destroyed_at__isnull=True,
                destroy_on__lte=today,
                exit__cancelled_at__isnull=True,
            )
            .select_related("exit")
            .order_by("pk")
        )
        if not items:
            return None
        exit = items[0].exit
        blocked = blocking.blockers({student_id: exit.pk}, today).get(student_id)
        if blocked:
            raise ValidationError(
                _("Destruction is blocked: %(reasons)s.")
                % {"reasons": ", ".join(str(blocking.LABELS[code]) for code in blocked)},
                code="blocked",
            )
        student = Student.objects.get(pk=student_id)
        name = f"{student.given_name} {student.family_name}".strip()
        lines = []
        for item in items:
            outcome = DESTROYERS[(item.scope, item.ma_part)](student_id)
            lines.append(
                {
                    "scope": item.scope,
                    "ma_part": item.ma_part,
                    "destroy_on": item.destroy_on.isoformat(),
                    "removed": outcome.removed,
                    "kept": outcome.kept,
                }
            )
        now_parts = {(item.scope, item.ma_part) for item in items}
        whole = _whole(exit, now_parts)
        actor = ledger.actor_of(user)
        operator = actor["actor_name"] or WORKER
        seqs = (
            do_destroy_audit_entries(
                student_id,
                policy.ledger_scopes(whole),
                actor_user_id=actor["actor_user_id"],
                actor_name=operator,
                reason=PURPOSE,
            )
            if whole
            else []
        )
        now = timezone.now()
        cert = Certificate(
            student_id=student_id,
            exit=exit,
            student_name=name,
            student_sourced_id=student.sourced_id,
            destroyed_at=now,
            operator_user=user if getattr(user, "is_authenticated", False) else None,
            operator_name=operator,
            rule=_rule(exit, {item.ma_part for item in items}),
            method=METHOD,
            items=lines,
            ledger_seqs=seqs,
            backup_purge_by=timezone.localdate(now) + dt.timedelta(days=policy.backup_cycle_days()),
        )
        cert.sha256 = hashlib.sha256(content(cert).encode("utf-8")).hexdigest()
        cert.save()
        Item.objects.filter(pk__in=[item.pk for item in items]).update(
            destroyed_at=now, certificate=cert
        )
        ledger.record(
            action=Action.DELETE,
            **actor,
            **ledger.request_context(request),
            students=[student_id],
            scopes=sorted({item.scope for item in items} | {SCOPE}),
            purpose=PURPOSE,
            detail={
                "certificate": cert.pk,
                "sha256": cert.sha256,
                "parts": sorted(f"{item.scope}/{item.ma_part}" for item in items),
                "tombstoned": len(seqs),
            },
        )
    return cert


@dataclass
class Report:
    """What one destruction run did."""

    today: dt.date
    certificates: list[int] = field(default_factory=list)
    blocked: dict[int, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [
            f"Destruction for {self.today.isoformat()}:",
            f"  students whose due parts were destroyed: {len(self.certificates)}",
            f"  students blocked: {len(self.blocked)}",
        ]
        out += [
            f"    student {pk}: {', '.join(codes)}" for pk, codes in sorted(self.blocked.items())
        ]
        return out


def run(today: dt.date, *, user: Any = None) -> Report:
    """Destroy every due item that nothing blocks, one student per transaction. Idempotent:
    destroyed items are never due again."""
    report = Report(today)
    due = _due(today)
    exits = {student_id: items[0].exit_id for student_id, items in due.items()}
    report.blocked = blocking.blockers(exits, today)
    for student_id in sorted(set(due) - set(report.blocked)):
        try:
            cert = destroy_student(student_id, today=today, user=user)
        except ValidationError as error:  # a blocker appeared since the check above
            report.blocked[student_id] = [error.code or "blocked"]
            continue
        if cert is not None:
            report.certificates.append(cert.pk)
    return report
