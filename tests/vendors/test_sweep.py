"""The daily agreement sweep (steward.vendors.sweep; R80, R110): expiring at 90 days, reminders
at exactly 90, 30 and 7 days, expiry on the end date, overdue escalation after the disposition
window, and nothing sent twice however often it runs."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from steward.vendors import sweep
from steward.vendors.actions import agreements as actions
from steward.vendors.models import Agreement, AgreementStatus, Reminder, ReminderKind
from steward.vendors.sweep import expiry_kind, run_sweep

from .factories_agreements import PDF, active, ag_world, offer, today

__all__ = ["ag_world"]
S = AgreementStatus


def before(agreement: Agreement, n: int) -> dt.date:
    assert agreement.end_date is not None
    return agreement.end_date - dt.timedelta(days=n)


def kinds(agreement: Agreement) -> list[str]:
    return sorted(Reminder.objects.filter(agreement=agreement).values_list("kind", flat=True))


@pytest.mark.parametrize(
    ("days_left", "kind"),
    [
        (91, None),
        (90, "expiry_90"),
        (31, "expiry_90"),
        (30, "expiry_30"),
        (8, "expiry_30"),
        (7, "expiry_7"),
        (1, "expiry_7"),
        (0, None),
    ],
)
def test_the_reminder_due_is_that_of_the_nearest_threshold(
    days_left: int, kind: str | None
) -> None:
    assert expiry_kind(days_left) == kind


def test_a_year_in_the_life_of_an_agreement(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    end = agreement.end_date
    assert end is not None

    run_sweep(before(agreement, 91))
    agreement.refresh_from_db()
    assert agreement.status == S.ACTIVE and kinds(agreement) == [] and mail.outbox == []

    report = run_sweep(before(agreement, 90))
    agreement.refresh_from_db()
    assert agreement.status == S.EXPIRING and report.expiring == [agreement.pk]
    assert report.reminders == [(agreement.pk, ReminderKind.EXPIRY_90)]
    assert kinds(agreement) == ["expiry_90"]
    office, vendor = mail.outbox
    assert office.to == ["privacy@district.example"] and vendor.to == ["ada@acme.example"]
    assert office.subject == f"Agreement ends in 90 days: {agreement.title} (Acme Learning)"
    assert f"/officer/agreements/{agreement.pk}/" in office.body
    assert f"/vendor/agreements/{agreement.pk}/" in vendor.body
    assert "Renew it" in office.body and "disposed of" in vendor.body

    for day in (90, 89, 31):
        again = run_sweep(before(agreement, day))
        assert again.reminders == [] and again.expiring == []
    assert len(mail.outbox) == 2

    assert run_sweep(before(agreement, 30)).reminders == [(agreement.pk, ReminderKind.EXPIRY_30)]
    assert run_sweep(before(agreement, 8)).reminders == []
    assert run_sweep(before(agreement, 7)).reminders == [(agreement.pk, ReminderKind.EXPIRY_7)]
    assert kinds(agreement) == ["expiry_30", "expiry_7", "expiry_90"]
    assert len(mail.outbox) == 6

    report = run_sweep(end)
    agreement.refresh_from_db()
    assert report.expired == [agreement.pk] and agreement.status == S.DISPOSITION_PENDING
    assert agreement.disposition_due == end + dt.timedelta(days=60)
    assert run_sweep(end).expired == []

    assert run_sweep(end + dt.timedelta(days=60)).overdue == []
    report = run_sweep(end + dt.timedelta(days=61))
    agreement.refresh_from_db()
    assert report.overdue == [agreement.pk] and agreement.status == S.DISPOSITION_OVERDUE
    assert report.reminders == [(agreement.pk, ReminderKind.DISPOSITION_OVERDUE)]
    escalation = mail.outbox[-2]
    assert escalation.subject.startswith("Disposition overdue:")
    assert "escalation" in escalation.body
    quiet = run_sweep(end + dt.timedelta(days=62))
    assert quiet.overdue == [] and quiet.reminders == [] and len(mail.outbox) == 8


def test_a_sweep_that_missed_days_sends_only_the_current_reminder(
    ag_world: SimpleNamespace,
) -> None:
    agreement = active(ag_world)
    report = run_sweep(before(agreement, 25))
    assert report.expiring == [agreement.pk]
    assert report.reminders == [(agreement.pk, ReminderKind.EXPIRY_30)]
    assert kinds(agreement) == ["expiry_30"]


def test_an_agreement_with_an_active_renewal_rests_at_expired(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    renewal = actions.renew_agreement(agreement, by=ag_world.officer)
    actions.update_agreement(
        renewal,
        by=ag_world.officer,
        signed_on=today(),
        district_signatory="Dana Director",
        provider_signatory="Ada Acme",
    )
    actions.attach_signed_document(renewal, PDF, "renewal.pdf", by=ag_world.officer)
    actions.activate_agreement(renewal, by=ag_world.officer)
    report = run_sweep(agreement.end_date)  # type: ignore[arg-type]
    agreement.refresh_from_db()
    renewal.refresh_from_db()
    assert report.expired == [agreement.pk] and agreement.status == S.EXPIRED
    assert renewal.status == S.ACTIVE


def test_agreements_of_other_districts_are_never_swept(ag_world: SimpleNamespace) -> None:
    origin = offer(ag_world, end_date=today())
    report = run_sweep(today())
    origin.refresh_from_db()
    assert origin.status == S.ACTIVE and report.expired == [] and mail.outbox == []


def test_a_failed_e_mail_is_not_recorded_and_goes_out_next_time(
    ag_world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreement = active(ag_world)

    def refused(*args: object, **kwargs: object) -> int:
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(sweep, "send_mail", refused)
    report = run_sweep(before(agreement, 90))
    assert report.reminders == [] and "smtp down" in report.errors[0][1]
    assert kinds(agreement) == []
    monkeypatch.undo()
    assert run_sweep(before(agreement, 89)).reminders == [(agreement.pk, ReminderKind.EXPIRY_90)]


def test_a_reminder_with_no_one_to_send_to_is_reported(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    ag_world.officer.email = ""
    ag_world.officer.save(update_fields=["email"])
    ag_world.acme_contact.role = "privacy"
    ag_world.acme_contact.save(update_fields=["role"])
    report = run_sweep(before(agreement, 90))
    assert report.errors == [(agreement.pk, "no privacy-office or vendor address to send to")]
    assert kinds(agreement) == []


def test_the_command_prints_a_summary(
    ag_world: SimpleNamespace, capsys: pytest.CaptureFixture[str]
) -> None:
    agreement = active(ag_world)
    call_command("vendors_sweep", "--today", before(agreement, 90).isoformat())
    out = capsys.readouterr().out
    assert f"Agreement sweep for {before(agreement, 90).isoformat()}:" in out
    assert "now expiring: 1" in out and f"agreement {agreement.pk}: expiry_90" in out


def test_the_command_runs_as_steward_vendors_sweep(
    ag_world: SimpleNamespace, capsys: pytest.CaptureFixture[str]
) -> None:
    from steward.cli import main

    main(["steward", "vendors-sweep", "--today", today().isoformat()])
    assert "reminders sent: 0" in capsys.readouterr().out


def test_the_command_refuses_a_malformed_date(ag_world: SimpleNamespace) -> None:
    with pytest.raises(CommandError, match="not a date"):
        call_command("vendors_sweep", "--today", "31/12/2025")


def test_the_command_fails_when_something_could_not_be_done(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    ag_world.officer.email = ""
    ag_world.officer.save(update_fields=["email"])
    ag_world.acme_contact.role = "privacy"
    ag_world.acme_contact.save(update_fields=["role"])
    with pytest.raises(CommandError, match="1 agreement"):
        call_command("vendors_sweep", "--today", before(agreement, 90).isoformat())


def test_the_sweep_starts_the_yearly_re_vetting_of_approved_apps_once(
    ag_world: SimpleNamespace,
) -> None:
    from steward.vendors.models import AppStatus, Product, Vetting, VettingTrigger

    reader = ag_world.reader
    Product.objects.filter(pk=reader.pk).update(
        status=AppStatus.APPROVED, revetting_due=today() - dt.timedelta(days=1)
    )
    first = run_sweep(today())
    assert first.revettings == [reader.pk]
    assert "  yearly re-vettings started: 1" in first.lines()
    assert Vetting.objects.get(product=reader).trigger == VettingTrigger.ANNUAL
    assert run_sweep(today()).revettings == []  # one open vetting per app
