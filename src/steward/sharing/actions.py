"""Writes for sharing (design.md §3 rule 2): the feed settings, and exports (issue #7).

`do_export` is the only way data leaves as a file. It plans (refused at once unless the
agreement allows sharing, R71), writes the package to an owner-only temporary file next to
its destination (`staging`, which also clears what killed exports left there), then in one
transaction re-checks the agreement, adds the `Export` history row and writes the disclosure
entry (R55–R58, R63, R69); the file is moved into place only after that transaction commits,
so a package exists only if its disclosure is recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward import config
from steward.audit import ledger
from steward.audit.models import Action
from steward.roster.models import ImportRun
from steward.roster.oneroster import spec
from steward.sharing import columns as cols
from steward.sharing import notice, package, staging
from steward.sharing.disclosure import record_disclosure
from steward.sharing.engine import FILES, Plan, SharingRefused, plan_for, refusal
from steward.sharing.models import Export, Feed, Mode, Version, pack_ids
from steward.sharing.rows import Change
from steward.vendors.actions.disposition import require_office
from steward.vendors.models import Agreement

FEED_PURPOSE = "vendor feed settings (issue #7)"
EXPORT_PURPOSE = "OneRoster export to a vendor under a data sharing agreement"


def requestable_columns(version: str) -> dict[str, list[str]]:
    """Every column a vendor may ask for, per file ("users.csv": [...]), in spec order."""
    files = spec.ROSTER_FILES.get(version, {})
    out = {f"{key}.csv": [c.name for c in files[key]] for key in FILES if key in files}
    if out:
        out["demographics.csv"] += [column for column, _carry in cols.INDICATORS.values()]
    return out


@transaction.atomic
def do_save_feed(
    agreement: Agreement,
    *,
    version: str,
    pseudonymous: bool,
    recruiter: bool,
    requested_columns: dict[str, list[str]],
    by: Any,
    request: HttpRequest | None = None,
) -> Feed:
    """Create or change the agreement's feed settings (privacy office only), with a ledger
    entry holding the settings before and after. ValidationError names unknown columns."""
    require_office(by)
    if version not in Version.values:
        raise ValidationError({"version": _("Choose OneRoster 1.1 or 1.2.")})
    known = requestable_columns(version)
    errors = []
    cleaned: dict[str, list[str]] = {}
    for file, names in sorted((requested_columns or {}).items()):
        if file not in known:
            errors.append(_("%(file)s is not a OneRoster file Steward sends.") % {"file": file})
            continue
        unknown = [name for name in names if name not in known[file]]
        if unknown:
            errors.append(
                _("Not columns of %(file)s in OneRoster %(version)s: %(names)s.")
                % {"file": file, "version": version, "names": ", ".join(unknown)}
            )
        cleaned[file] = [name for name in known[file] if name in set(names)]
    if errors:
        raise ValidationError({"requested_columns": errors})
    feed = Feed.objects.select_for_update().filter(agreement_id=agreement.pk).first()
    before = _feed_detail(feed)
    now = timezone.now()
    if feed is None:
        feed = Feed(agreement=agreement)
    feed.version = version
    feed.pseudonymous = bool(pseudonymous)
    feed.recruiter = bool(recruiter)
    feed.requested_columns = {file: names for file, names in cleaned.items() if names}
    feed.updated_at = now
    feed.updated_by = by if getattr(by, "is_authenticated", False) else None
    feed.save()
    ledger.record(
        action=Action.CREATE if before is None else Action.CHANGE,
        **ledger.actor_of(by),
        **ledger.request_context(request),
        purpose=FEED_PURPOSE,
        agreement_id=str(agreement.pk),
        detail={"feed": feed.pk, "before": before, "after": _feed_detail(feed)},
        at=now,
    )
    return feed


def _feed_detail(feed: Feed | None) -> dict[str, Any] | None:
    if feed is None:
        return None
    return {
        "version": feed.version,
        "pseudonymous": feed.pseudonymous,
        "recruiter": feed.recruiter,
        "requested_columns": feed.requested_columns,
    }


def exports_dir() -> Path:
    """Where packages made from the office's pages are kept (owner-only)."""
    folder = config.data_dir() / "exports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def package_name(agreement: Agreement, at: dt.datetime, mode: str) -> str:
    vendor = re.sub(r"[^A-Za-z0-9]+", "-", agreement.vendor.name).strip("-").lower() or "vendor"
    return f"oneroster-{vendor[:40]}-agreement{agreement.pk}-{at:%Y%m%dT%H%M%SZ}-{mode}.zip"


def baseline_for(agreement: Agreement, since: dt.datetime | None) -> Export:
    """The export a delta is computed against: the latest one at or before `since` (default:
    the latest). SharingRefused when there is none."""
    exports = Export.objects.filter(agreement_id=agreement.pk)
    if since is not None:
        exports = exports.filter(at__lte=since)
    found = exports.order_by("-at", "-pk").first()
    if found is None:
        raise SharingRefused(
            _(
                "There is no earlier export of this agreement to compare a delta against: "
                "send a bulk export first."
            ),
            code="no_baseline",
        )
    return found


def do_export(
    agreement: Agreement,
    *,
    out: Path | None = None,
    delta: bool = False,
    since: dt.datetime | None = None,
    by: Any = None,
    request: HttpRequest | None = None,
    operator: str = "",
) -> Export:
    """Export the agreement's data as a OneRoster CSV package and record the disclosure.

    Bulk by default; a delta (`delta=True`, or any `since`) sends what changed since the
    baseline export (`baseline_for`), and `tobedeleted` for what has left the plan. `out` is
    the zip to write (default: a new file in `exports_dir()`). Raises SharingRefused (nothing
    written) when the agreement does not allow sharing, has no students to share, or a delta
    has no usable baseline.
    """
    require_office(by)
    mark = ImportRun.objects.exclude(outcome=ImportRun.Outcome.RUNNING).aggregate(m=Max("pk"))
    import_mark = mark["m"] or 0  # read first: a later import's changes go in the next delta
    plan = plan_for(agreement)
    wants_delta = delta or since is not None
    if not plan.student_ids and not wants_delta:  # a delta may still withdraw everyone
        raise SharingRefused(
            _("No student may be shared under this agreement today: nothing to export."),
            code="no_students",
        )
    baseline = baseline_for(agreement, since) if wants_delta else None
    change = _change(plan, baseline) if baseline is not None else None
    mode = Mode.DELTA if change is not None else Mode.BULK
    vendor_name = agreement.vendor.name
    notice_text = notice.text(agreement, vendor_name, plan.at)
    target = (
        Path(out) if out is not None else exports_dir() / package_name(agreement, plan.at, mode)
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Partial packages of killed exports would otherwise stay on disk forever.
    staging.remove_stale(target, whole_folder=out is None)
    staged = staging.stage(target)
    try:
        result = package.write(
            plan, staged.path, change=change, notice=(notice.FILENAME, notice_text)
        )
        digest, size = _digest(staged.path)
        export = _commit(
            agreement, plan, result, baseline, since, mode, import_mark, target, digest, size,
            notice_text, by, request, operator,
        )  # fmt: skip
    except BaseException:
        staged.discard()
        raise
    transaction.on_commit(lambda: staged.move_to(target))
    return export


def _change(plan: Plan, baseline: Export) -> Change:
    """The delta's comparison with `baseline`, refused when the two cannot be compared."""
    if baseline.version != plan.version or baseline.pseudonymous != plan.pseudonymous:
        raise SharingRefused(
            _(
                "The feed's OneRoster version or pseudonymous ids changed since the last "
                "export: send a bulk export."
            ),
            code="feed_changed",
        )
    if baseline.columns.get("columns") != {k: list(v) for k, v in plan.columns.items()}:
        raise SharingRefused(
            _(
                "The columns the agreement allows changed since the last export: send a bulk "
                "export."
            ),
            code="columns_changed",
        )
    return Change(
        held=baseline.sent(), mark=baseline.import_mark, since_day=timezone.localdate(baseline.at)
    )


def _digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@transaction.atomic
def _commit(
    agreement: Agreement,
    plan: Plan,
    result: package.Result,
    baseline: Export | None,
    since: dt.datetime | None,
    mode: str,
    import_mark: int,
    target: Path,
    digest: str,
    size: int,
    notice_text: str,
    by: Any,
    request: HttpRequest | None,
    operator: str,
) -> Export:
    # The agreement may have ended while the package was written: refused at once (R71).
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    reason = refusal(current, timezone.now())
    if reason is not None:
        raise SharingRefused(reason, code="not_allowed")
    export = Export.objects.create(
        agreement=agreement,
        at=plan.at,
        mode=mode,
        since=since,
        baseline=baseline,
        version=plan.version,
        pseudonymous=plan.pseudonymous,
        columns={
            "columns": {k: list(v) for k, v in plan.columns.items()},
            "rows": {k: list(v) for k, v in plan.row_columns.items()},
        },
        counts=result.counts,
        student_count=len(result.students),
        sent_ids=pack_ids({key: frozenset(ids) for key, ids in result.sent.items()}),
        import_mark=import_mark,
        filename=target.name,
        path=str(target),
        size=size,
        sha256=digest,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    entry = record_disclosure(
        plan,
        channel="export",
        student_ids=result.students,
        elements=sorted(result.elements),
        by=by,
        request=request,
        detail={
            "export": export.pk,
            "mode": mode,
            "since": since.isoformat() if since else None,
            "baseline_export": baseline.pk if baseline else None,
            "files": result.counts,
            "tobedeleted": result.deleted,
            "package_sha256": digest,
            "redisclosure_notice_sha256": notice.sha256(notice_text),
            "excluded": dict(plan.excluded),
            "operator": operator,
        },
    )
    # Set once, in the transaction that created the row: the entry needed the export's id.
    Export.objects.filter(pk=export.pk).update(entry_seq=entry.seq)
    export.entry_seq = entry.seq
    return export
