"""`steward export --agreement ID --out PATH [--since TIMESTAMP | --delta]` (issue #7)."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from steward.cli import main
from steward.sharing.models import Export
from steward.vendors.models import AgreementStatus
from tests.sharing import factories as sf

Capture = Callable[..., AbstractContextManager[object]]


def run(*args: str, capture: Capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("export", *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_package_and_says_what_it_sent(
    district: SimpleNamespace, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    agreement = sf.agreement(district.acme)
    out = tmp_path / "acme.zip"
    said = run(
        "--agreement",
        str(agreement.pk),
        "--out",
        str(out),
        capture=django_capture_on_commit_callbacks,
    )
    made = Export.objects.get()
    assert out.is_file() and made.path == str(out) and made.by is None
    assert f"bulk export #{made.pk} for Acme Learning, 4 student(s)" in said
    assert "users.csv: 7" in said and made.sha256 in said


def test_since_makes_a_delta_against_the_export_before_it(
    district: SimpleNamespace, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    agreement = sf.agreement(district.acme)
    capture = django_capture_on_commit_callbacks
    run("--agreement", str(agreement.pk), "--out", str(tmp_path / "b.zip"), capture=capture)
    since = sf.now().isoformat()
    said = run(
        "--agreement", str(agreement.pk), "--out", str(tmp_path / "d.zip"), "--since", since,
        capture=capture,
    )  # fmt: skip
    assert "delta export" in said
    assert Export.objects.order_by("-pk").first().mode == "delta"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (AgreementStatus.EXPIRED, "is expired: only an active agreement"),
        (AgreementStatus.TERMINATED, "is terminated: only an active agreement"),
        (AgreementStatus.DISPOSITION_PENDING, "is disposition pending: only an active agreement"),
    ],
)
def test_an_ended_agreement_is_refused_with_the_reason(
    district: SimpleNamespace, tmp_path: Path, status: str, message: str
) -> None:
    agreement = sf.agreement(district.acme, status=status)
    with pytest.raises(CommandError, match=message):
        call_command("export", "--agreement", str(agreement.pk), "--out", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()


def test_bad_arguments_are_refused(district: SimpleNamespace, tmp_path: Path) -> None:
    agreement = sf.agreement(district.acme)
    with pytest.raises(CommandError, match="no agreement 999999"):
        call_command("export", "--agreement", "999999", "--out", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="not an ISO 8601"):
        call_command(
            "export", "--agreement", str(agreement.pk), "--out", str(tmp_path / "x.zip"),
            "--since", "last tuesday",
        )  # fmt: skip
    with pytest.raises(CommandError, match="send a bulk export first"):
        call_command(
            "export", "--agreement", str(agreement.pk), "--out", str(tmp_path / "x.zip"), "--delta"
        )


def test_the_steward_command_exits_non_zero_on_a_refusal(
    district: SimpleNamespace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agreement = sf.agreement(district.acme, status=AgreementStatus.TERMINATED)
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "steward",
                "export",
                "--agreement",
                str(agreement.pk),
                "--out",
                str(tmp_path / "x.zip"),
            ]
        )
    assert exited.value.code != 0
    assert "only an active agreement" in capsys.readouterr().err
