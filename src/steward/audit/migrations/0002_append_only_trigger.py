"""On PostgreSQL, reject UPDATE and DELETE on ledger tables at the database (issue #3, R65).

The one sanctioned exception is retention (R60): `steward.audit.actions` turns entries into
tombstones with UPDATE after `SET LOCAL steward.audit_retention = 'on'` in its own transaction,
and records the destruction in the chain, so `steward audit verify` can tell a sanctioned
tombstone from tampering. DELETE is never allowed. SQLite has no triggers worth the name here:
the application simply never issues UPDATE or DELETE on these tables.
"""

from django.db import migrations

TABLES = ("audit_entry", "audit_subjectset", "audit_subjectsetmember", "audit_checkpoint")

FUNCTION = """
CREATE OR REPLACE FUNCTION steward_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_entry'
       AND current_setting('steward.audit_retention', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION steward_audit_append_only()"
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS steward_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
