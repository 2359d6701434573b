"""Encrypt health notes and alerts, IEP/504 plan summaries and accommodations at rest (R116, #10).

The columns become encrypted fields (TEXT: the ciphertext outgrows varchar(500)); then every row
written before is sealed with the current key. Reversible: backwards opens every value again
before the columns turn back into plain ones.
"""

from django.db import migrations

import steward.security.fields
from steward.security.crypto_migration import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accommodation",
            name="text",
            field=steward.security.fields.EncryptedTextField(
                max_length=500, verbose_name="accommodation"
            ),
        ),
        migrations.AlterField(
            model_name="educationplan",
            name="summary",
            field=steward.security.fields.EncryptedTextField(blank=True, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="healthalert",
            name="text",
            field=steward.security.fields.EncryptedTextField(max_length=500, verbose_name="alert"),
        ),
        migrations.AlterField(
            model_name="healthnote",
            name="text",
            field=steward.security.fields.EncryptedTextField(verbose_name="note"),
        ),
        encrypt_existing(
            "records",
            [
                ("healthnote", "text"),
                ("healthalert", "text"),
                ("educationplan", "summary"),
                ("accommodation", "text"),
            ],
        ),
    ]
