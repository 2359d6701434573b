"""`steward demo`: the password, the choice of people, idempotent logins, and the command."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import types
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from steward.accounts import demo, server
from steward.accounts.models import Account
from steward.records.actions import records_exist
from steward.roster.models import ImportRun, StaffRole

from . import factories as f

Role = Account.Role


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    # Argon2 is what production uses (test_login checks it); here it would only add seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    calls: list[tuple[str, int, int]] = []
    monkeypatch.setattr(server, "run_server", lambda *args: calls.append(args))
    return calls


class FakeRejected(Exception):
    pass


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """Stand-ins for the generator and the importer, recording how the demo calls them."""
    calls = SimpleNamespace(generate=[], imports=[], reject=False)

    def generate_package(out: Path, *, students: int, seed: int, version: str = "1.2") -> dict:
        out.mkdir()
        (out / "manifest.csv").write_text("propertyName,value\n")
        calls.generate.append((out, students, seed))
        return {"students": students}

    def import_package(path: Path, *, progress: bool = False, error_log: Path | None = None) -> Any:
        calls.imports.append((path, progress))
        if calls.reject:
            raise FakeRejected("users.csv line 7, field role: 'wizard' is not a role")
        return f.import_run()

    generate = types.ModuleType("steward.roster.oneroster.generate")
    generate.generate_package = generate_package  # type: ignore[attr-defined]
    importer = types.ModuleType("steward.roster.importer")
    importer.import_package = import_package  # type: ignore[attr-defined]
    importer.ImportRejected = FakeRejected  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "steward.roster.oneroster.generate", generate)
    monkeypatch.setitem(sys.modules, "steward.roster.importer", importer)
    return calls


def test_it_generates_the_demo_password_once_and_keeps_it_private(tmp_path: Path) -> None:
    first = demo.demo_password(tmp_path)
    assert len(first) >= 16
    assert demo.demo_password(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "demo_password").stat().st_mode)
    assert mode == 0o600


def test_it_counts_only_finished_imports_as_a_roster(db: None) -> None:
    assert not demo.roster_imported()
    f.import_run(ImportRun.Outcome.RUNNING)
    assert not demo.roster_imported()
    f.import_run(ImportRun.Outcome.UNCHANGED)
    assert demo.roster_imported()


def test_it_chooses_real_roster_people_for_each_role(district: SimpleNamespace) -> None:
    d = district
    people = demo.choose_demo_people(f.today())
    assert people == {
        Role.PRIVACY_OFFICER: None,
        Role.PRINCIPAL: d.paula,  # principal of the first school by sourced_id
        Role.TEACHER: d.tess,  # lowest sourced_id teaching there now
        Role.SPECIAL_EDUCATION: d.sam,
        Role.COUNSELOR: d.carl,  # has a current caseload
        Role.NURSE: d.nina,  # none at Adams, so the first anywhere
        Role.GUARDIAN: d.gail,  # two visible children
    }


def test_it_links_the_officer_to_a_records_custodian_when_there_is_one(
    district: SimpleNamespace,
) -> None:
    d = district
    custodian = f.staff(d.run, "Rita", "Reyes")
    f.staff_role(d.run, custodian, d.district, StaffRole.Position.RECORDS_CUSTODIAN)
    assert demo.choose_demo_people(f.today())[Role.PRIVACY_OFFICER] == custodian


def test_it_skips_a_guardian_whose_second_child_is_restricted(district: SimpleNamespace) -> None:
    d = district
    d.gail.relationships.filter(student=d.ben).update(access_restricted=True)
    assert Role.GUARDIAN not in demo.choose_demo_people(f.today())


def test_it_leaves_out_a_role_nobody_holds(district: SimpleNamespace) -> None:
    StaffRole.objects.filter(position=StaffRole.Position.NURSE).delete()
    assert Role.NURSE not in demo.choose_demo_people(f.today())


def test_it_never_picks_one_person_for_two_logins(district: SimpleNamespace) -> None:
    d = district
    # Sam also teaches Math, and has the lowest sourced_id of all: still only one login.
    f.staff_role(d.run, d.sam, d.north, StaffRole.Position.TEACHER)
    people = demo.choose_demo_people(f.today())
    staff = [p for p in people.values() if p is not None]
    assert len(staff) == len(set(staff))


def test_it_creates_demo_accounts_idempotently(district: SimpleNamespace) -> None:
    at = f.today()
    first = demo.ensure_demo_accounts("s3cret-demo-pass", at)
    ids = dict(User.objects.values_list("username", "pk"))
    hashes = dict(User.objects.values_list("username", "password"))
    second = demo.ensure_demo_accounts("s3cret-demo-pass", at)
    assert first == second
    assert dict(User.objects.values_list("username", "pk")) == ids
    assert dict(User.objects.values_list("username", "password")) == hashes  # not re-hashed
    assert Account.objects.count() == 7
    usernames = [x.username for x in first]
    assert usernames == [
        "officer",
        "principal",
        "teacher",
        "sped",
        "counselor",
        "nurse",
        "guardian",
    ]


def test_it_links_each_demo_login_to_its_person_and_password(district: SimpleNamespace) -> None:
    d = district
    logins = demo.ensure_demo_accounts("s3cret-demo-pass", f.today())
    accounts = {a.user.username: a for a in Account.objects.select_related("user")}
    assert accounts["teacher"].staff == d.tess
    assert accounts["teacher"].role == Role.TEACHER
    assert accounts["guardian"].guardian == d.gail
    assert accounts["officer"].staff is None
    for account in accounts.values():
        assert account.user.check_password("s3cret-demo-pass")
        assert not account.user.is_staff and not account.user.is_superuser
    assert accounts["teacher"].user.get_full_name() == "Tess Turner"
    who = {x.username: x.who for x in logins}
    assert who["teacher"] == "Tess Turner, Adams Elementary"
    assert who["guardian"] == "Gail Avery, guardian of 2 children"


def test_it_moves_a_demo_login_to_the_new_pick_and_password(district: SimpleNamespace) -> None:
    demo.ensure_demo_accounts("first-password-1", f.today())
    StaffRole.objects.filter(staff=district.tess).delete()
    demo.ensure_demo_accounts("second-password-2", f.today())
    teacher = Account.objects.select_related("user").get(user__username="teacher")
    assert teacher.staff == district.olga
    assert teacher.user.check_password("second-password-2")


def test_it_formats_the_logins_as_an_aligned_table() -> None:
    logins = [
        demo.DemoLogin("officer", "privacy officer", "the district privacy office"),
        demo.DemoLogin("nurse", "nurse", "Nina Nolan, Baker Middle"),
    ]
    lines = demo.format_logins(logins, "pw").splitlines()
    assert lines[0].split() == ["username", "role", "who", "password"]
    assert lines[2].startswith("nurse     nurse            Nina Nolan, Baker Middle")
    assert {line.index("pw") for line in lines[1:]} == {lines[0].index("password")}


def test_it_runs_the_demo_on_an_imported_roster_without_regenerating(
    district: SimpleNamespace,
    data_dir: Path,
    no_server: list[tuple[str, int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the roster was regenerated")

    monkeypatch.setattr(demo, "load_demo_roster", must_not_run)
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    printed = out.getvalue()
    password = (data_dir / "demo_password").read_text().strip()
    assert "http://127.0.0.1:8000/" in printed
    assert "Reusing the roster already imported." in printed
    for username in ["officer", "principal", "teacher", "counselor", "nurse", "guardian", "vendor"]:
        assert f"\n{username} " in printed
    assert "Brightleaf Reading Co." in printed  # the vendor login acts as its primary contact
    assert printed.count(password) == 8
    assert no_server == []
    generating = "Generating synthetic student records…\n"
    assert generating in printed
    assert records_exist()
    again = StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert again.getvalue() == printed.replace(generating, "")  # the records are reused
    assert User.objects.count() == 8  # seven district roles and one vendor contact


def test_it_generates_and_imports_the_district_when_there_is_no_roster(
    db: None, data_dir: Path, no_server: list[tuple[str, int, int]], fake_pipeline: Any
) -> None:
    call_command("demo", "--small", "--port", "8123", stdout=StringIO())
    package = data_dir / "demo-package"
    assert fake_pipeline.generate == [(package, 1000, 2026)]
    assert fake_pipeline.imports == [(package, True)]
    assert no_server == [("127.0.0.1", 8123, 8)]


def test_it_generates_tier_m_by_default_and_replaces_a_leftover_package(
    db: None, data_dir: Path, no_server: list[tuple[str, int, int]], fake_pipeline: Any
) -> None:
    (data_dir / "demo-package").mkdir()
    (data_dir / "demo-package" / "stale.csv").write_text("x")
    call_command("demo", "--no-serve", stdout=StringIO())
    assert fake_pipeline.generate[0][1] == 7000
    assert not (data_dir / "demo-package" / "stale.csv").exists()


def test_it_fails_with_the_importers_message_when_the_package_is_rejected(
    db: None, data_dir: Path, no_server: list[tuple[str, int, int]], fake_pipeline: Any
) -> None:
    fake_pipeline.reject = True
    with pytest.raises(CommandError, match=r"users\.csv line 7, field role"):
        call_command("demo", "--no-serve", "--small", stdout=StringIO())
    assert User.objects.count() == 0


@pytest.mark.slow
def test_it_runs_the_real_demo_twice_with_the_same_logins(tmp_path: Path) -> None:
    """End to end through the `steward` command, with the real generator and importer."""
    pytest.importorskip("steward.roster.oneroster.generate")
    env = {**os.environ, "STEWARD_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    steward = Path(sys.executable).with_name("steward")

    def run() -> str:
        done = subprocess.run(
            [str(steward), "demo", "--small", "--no-serve"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    first = run()
    password = (tmp_path / "demo_password").read_text().strip()
    for username in ["officer", "principal", "teacher", "counselor", "nurse", "guardian"]:
        # A missing teacher usually means the generated school year does not include today.
        assert f"\n{username} " in first, f"no {username} login on {f.today()}:\n{first}"
    assert password in first
    second = run()
    assert "Reusing the roster already imported." in second
    assert first.split("\n\n", 1)[1] == second.split("\n\n", 1)[1]


def test_it_warns_about_a_role_left_without_a_login(
    district: SimpleNamespace, data_dir: Path, no_server: list[tuple[str, int, int]]
) -> None:
    StaffRole.objects.filter(position=StaffRole.Position.NURSE).delete()
    out, err = StringIO(), StringIO()
    call_command("demo", "--no-serve", stdout=out, stderr=err)
    assert "\nnurse " not in out.getvalue()
    assert "No nurse login: nobody in the roster qualifies" in err.getvalue()
