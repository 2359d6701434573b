"""`steward invite-guardians`: send portal invitations to guardians from the roster."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steward.accounts.models import Account
from steward.portal.actions import do_invite_guardian, do_invite_student
from steward.roster.models import Guardian, GuardianRelationship, Student


class Command(BaseCommand):
    help = (
        "Invite guardians, or eligible students, to the family portal by e-mail "
        "(one-time code, 14 days)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--guardian", help="one guardian's sourcedId")
        who.add_argument(
            "--all", action="store_true", help="every guardian with an e-mail and no login yet"
        )
        who.add_argument(
            "--students",
            action="store_true",
            help="every student who holds rights over their own record (MA: 14 or grade 9; "
            "FERPA: 18), with an e-mail and no login yet",
        )
        parser.add_argument("--language", default="en", help="e-mail language: en, es, pt-br, ht")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["students"]:
            self._students(options["language"])
            return
        if options["guardian"]:
            guardians = list(Guardian.objects.filter(sourced_id=options["guardian"]))
            if not guardians:
                raise CommandError(_("No guardian has this sourcedId."))
        else:
            with_child = GuardianRelationship.objects.filter(
                active=True, access_restricted=False
            ).values("guardian_id")
            guardians = list(
                Guardian.objects.filter(pk__in=with_child)
                .exclude(email="")
                .exclude(pk__in=Account.objects.filter(guardian__isnull=False).values("guardian"))
                .order_by("sourced_id")
            )
        sent = 0
        for guardian in guardians:
            try:
                do_invite_guardian(guardian, language=options["language"])
            except ValidationError as exc:
                self.stderr.write(f"{guardian.sourced_id}: {' '.join(exc.messages)}")
            else:
                sent += 1
        self.stdout.write(
            ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", sent) % {"n": sent}
        )

    def _students(self, language: str) -> None:
        from steward.rights.selectors import holders_for_many

        candidates = list(
            Student.objects.filter(active=True)
            .exclude(email="")
            .exclude(pk__in=Account.objects.filter(student__isnull=False).values("student"))
            .order_by("sourced_id")
        )
        holders = holders_for_many([s.pk for s in candidates])
        sent = 0
        for student in candidates:
            if not holders[student.pk].student_holds("inspect"):
                continue
            try:
                do_invite_student(student, language=language)
            except ValidationError as exc:
                self.stderr.write(f"{student.sourced_id}: {' '.join(exc.messages)}")
            else:
                sent += 1
        self.stdout.write(
            ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", sent) % {"n": sent}
        )
