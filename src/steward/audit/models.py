"""The audit ledger: an append-only, hash-chained record of every access and disclosure.

FERPA 34 CFR 99.32 and 603 CMR 23.07(1) require a record of who requested, accessed and
received each student's records and why (R55–R58, R63, R65). Rows are written only by
`steward.audit.ledger.record()` / `record_many()`, never updated or deleted by the application;
on PostgreSQL a trigger rejects UPDATE and DELETE outright (migration 0002). The only exception
is retention (R60), which blanks an entry's content into a tombstone that keeps its place and
hashes in the chain (`steward.audit.actions.do_destroy_audit_entries`).

Each entry's `digest` is the SHA-256 of the canonical serialisation of its fields
(`steward.audit.chain.FIELDS`), and `hash` = SHA-256(seq, previous hash, digest).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.ddl_references import Statement
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
    RELEASE = "release", _("release / disclosure")
    EXPORT = "export", _("export")
    CONSENT = "consent", _("consent")
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGOUT = "logout", _("logout")
    SECURITY = "security", _("security event")
    RETENTION = "retention", _("retention destruction")
    CHECKPOINT = "checkpoint", _("checkpoint")


class SubjectSet(models.Model):
    """A content-addressed set of students: one row however many entries name the same set.

    A bulk operation (an export of 300,000 students) writes one ledger entry pointing at one
    set; `members` is the set itself (sorted ids, comma-separated) and `digest` its SHA-256,
    which the entry's hash covers. `SubjectSetMember` indexes it for "entries about student X".
    """

    digest = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField()
    members = models.TextField()


class SubjectSetMember(models.Model):
    subject_set = models.ForeignKey(
        SubjectSet, on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    student_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject_set", "student_id"], name="uniq_set_member")
        ]
        indexes = [models.Index(fields=["student_id", "subject_set"], name="audit_member_student")]


class LedgerSeqField(models.BigIntegerField):
    """The ledger's sequence number: `bigint` on PostgreSQL, the table's rowid on SQLite.

    SQLite makes a column declared exactly `integer PRIMARY KEY` an alias of the rowid that
    every table has: the entries are stored in seq order with no separate unique index on seq
    to maintain, and every secondary index already ends with seq (#3: append speed).
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class SeqOrderedIndex(models.Index):
    """An index on (columns…, seq), so "entries with this value, newest first" reads in order.

    On SQLite, where seq is the rowid (`LedgerSeqField`), the index is made on the columns
    alone: SQLite ends every index with the rowid, so the order is the same and each entry is
    smaller, which makes appends cheaper (every append updates every index). With
    `sqlite_skip_null=True` it also leaves out entries whose first column is NULL there: a
    column nearly every entry leaves empty (the subject set of a one-student entry) then costs
    appends nothing, and SQLite still uses the index for `=` and `IN` on it. (PostgreSQL keeps
    the full index: its planner does not prove `IN (subquery)` non-null for a partial index.)
    """

    def __init__(self, *args: Any, sqlite_skip_null: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sqlite_skip_null = sqlite_skip_null

    def deconstruct(self) -> Any:
        path, args, kwargs = super().deconstruct()
        if self.sqlite_skip_null:
            kwargs["sqlite_skip_null"] = True
        return path, args, kwargs

    def create_sql(
        self,
        model: type[models.Model],
        schema_editor: BaseDatabaseSchemaEditor,
        using: str = "",
        **kwargs: Any,
    ) -> Statement:
        if schema_editor.connection.vendor == "sqlite" and self.fields[-1:] == ["seq"]:
            condition = (
                models.Q(**{f"{self.fields[0]}__isnull": False}) if self.sqlite_skip_null else None
            )
            trimmed = models.Index(fields=self.fields[:-1], name=self.name, condition=condition)
            return trimmed.create_sql(model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class Entry(models.Model):
    """One ledger entry. Field meanings follow R56–R58, R63 and R65."""

    seq = LedgerSeqField(primary_key=True)
    prev_hash = models.CharField(max_length=64)
    # Not indexed: seq (the primary key) already forbids a fork, and an index over random
    # hex would cost every append.
    hash = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    tombstone = models.BooleanField(default=False)

    at_us = models.BigIntegerField(db_index=True, help_text=_("Microseconds since 1970, UTC"))
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=255, blank=True)
    actor_role = models.CharField(max_length=64, blank=True)
    actor_affiliation = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    scopes = models.CharField(max_length=1000, blank=True)
    purpose = models.CharField(max_length=1000, blank=True)
    legitimate_interest = models.CharField(max_length=1000, blank=True)
    basis = models.CharField(max_length=16, blank=True, help_text=_("Legal basis code (R51)"))
    agreement_id = models.CharField(max_length=64, blank=True)
    consent_id = models.CharField(max_length=64, blank=True)
    subject_set = models.ForeignKey(
        SubjectSet,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
    )
    # An entry naming exactly one student (nearly every read) stores the id here and no subject
    # set: no set lookup, no set row, no member row. `subjects_digest` covers it all the same.
    subject_student = models.BigIntegerField(null=True, blank=True)
    subjects_digest = models.CharField(max_length=64, blank=True)
    subject_count = models.PositiveIntegerField(default=0)
    release = models.TextField(blank=True, help_text=_("Canonical JSON of the release fields"))
    request_id = models.CharField(max_length=64, blank=True)
    client_ip = models.CharField(max_length=64, blank=True)
    detail = models.TextField(blank=True, help_text=_("Canonical JSON"))

    class Meta:
        verbose_name_plural = _("entries")
        indexes = [
            SeqOrderedIndex(
                fields=["subject_set", "seq"], name="audit_entry_subjects", sqlite_skip_null=True
            ),
            SeqOrderedIndex(fields=["subject_student", "seq"], name="audit_entry_student"),
            SeqOrderedIndex(fields=["actor_user_id", "seq"], name="audit_entry_actor"),
            SeqOrderedIndex(fields=["action", "seq"], name="audit_entry_action"),
            SeqOrderedIndex(fields=["basis", "seq"], name="audit_entry_basis"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_name or '-'}"

    @property
    def at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.at_us / 1_000_000, tz=dt.UTC)


class Checkpoint(models.Model):
    """A signed statement "the ledger had this hash at this seq" (Ed25519, see checkpoint.py)."""

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    at_text = models.CharField(max_length=40, help_text=_("ISO 8601 UTC time, as signed"))
    signature = models.TextField()
    public_key = models.TextField(help_text=_("PEM of the Ed25519 key that signed it"))
