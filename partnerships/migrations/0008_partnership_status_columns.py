"""Partnerships store their current status, first and latest step, kept from the steps by triggers."""

from importlib import import_module

from django.db import migrations, models
from django.db.models import F

nulls_last = import_module("partnerships.migrations.0005_performance_indexes").nulls_last


# The three columns are kept from the steps by triggers, whoever writes the steps. A partnership's status
# is its latest step's (undated steps count as the oldest), `since` its steps' first day, `latest` their
# last day. SQLite has row triggers only; PostgreSQL refreshes the partnerships a whole statement touched
# at once (an import's bulk insert), through transition tables.
REFRESH_ONE = """
    UPDATE partnerships_partnership SET
        status = COALESCE((SELECT s.status FROM partnerships_statusstep s WHERE s.partnership_id = {id}
                           ORDER BY s.date_latest DESC NULLS LAST, s.id DESC LIMIT 1), ''),
        since = (SELECT MIN(s.date_earliest) FROM partnerships_statusstep s WHERE s.partnership_id = {id}),
        latest = (SELECT MAX(s.date_latest) FROM partnerships_statusstep s WHERE s.partnership_id = {id})
    WHERE id = {id}
"""
SQLITE = [
    f"CREATE TRIGGER partnership_steps_inserted AFTER INSERT ON partnerships_statusstep BEGIN "
    f"{REFRESH_ONE.format(id='NEW.partnership_id')}; END",
    f"CREATE TRIGGER partnership_steps_updated AFTER UPDATE ON partnerships_statusstep BEGIN "
    f"{REFRESH_ONE.format(id='OLD.partnership_id')}; {REFRESH_ONE.format(id='NEW.partnership_id')}; END",
    f"CREATE TRIGGER partnership_steps_deleted AFTER DELETE ON partnerships_statusstep BEGIN "
    f"{REFRESH_ONE.format(id='OLD.partnership_id')}; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS partnership_steps_inserted",
    "DROP TRIGGER IF EXISTS partnership_steps_updated",
    "DROP TRIGGER IF EXISTS partnership_steps_deleted",
]
POSTGRESQL = [
    """
    CREATE FUNCTION partnerships_refresh_status(ids bigint[]) RETURNS void LANGUAGE sql AS $$
        UPDATE partnerships_partnership p SET
            status = COALESCE((SELECT s.status FROM partnerships_statusstep s WHERE s.partnership_id = p.id
                               ORDER BY s.date_latest DESC NULLS LAST, s.id DESC LIMIT 1), ''),
            since = (SELECT MIN(s.date_earliest) FROM partnerships_statusstep s WHERE s.partnership_id = p.id),
            latest = (SELECT MAX(s.date_latest) FROM partnerships_statusstep s WHERE s.partnership_id = p.id)
        WHERE p.id = ANY(ids)
    $$
    """,
    """
    CREATE FUNCTION partnerships_steps_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM partnerships_refresh_status(ARRAY(SELECT DISTINCT partnership_id FROM new_steps));
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION partnerships_steps_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM partnerships_refresh_status(ARRAY(
            SELECT partnership_id FROM old_steps UNION SELECT partnership_id FROM new_steps));
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION partnerships_steps_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM partnerships_refresh_status(ARRAY(SELECT DISTINCT partnership_id FROM old_steps));
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER partnership_steps_inserted AFTER INSERT ON partnerships_statusstep "
    "REFERENCING NEW TABLE AS new_steps FOR EACH STATEMENT EXECUTE FUNCTION partnerships_steps_inserted()",
    "CREATE TRIGGER partnership_steps_updated AFTER UPDATE ON partnerships_statusstep "
    "REFERENCING OLD TABLE AS old_steps NEW TABLE AS new_steps "
    "FOR EACH STATEMENT EXECUTE FUNCTION partnerships_steps_updated()",
    "CREATE TRIGGER partnership_steps_deleted AFTER DELETE ON partnerships_statusstep "
    "REFERENCING OLD TABLE AS old_steps FOR EACH STATEMENT EXECUTE FUNCTION partnerships_steps_deleted()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS partnership_steps_inserted ON partnerships_statusstep",
    "DROP TRIGGER IF EXISTS partnership_steps_updated ON partnerships_statusstep",
    "DROP TRIGGER IF EXISTS partnership_steps_deleted ON partnerships_statusstep",
    "DROP FUNCTION IF EXISTS partnerships_steps_inserted(), partnerships_steps_updated(), "
    "partnerships_steps_deleted(), partnerships_refresh_status(bigint[])",
]
BACKFILL = REFRESH_ONE.format(id="partnerships_partnership.id").replace(
    "WHERE id = partnerships_partnership.id", ""
)


def create_triggers(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements + [BACKFILL]:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    statements = POSTGRESQL_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for statement in statements:
        schema_editor.execute(statement)



class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0007_import_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='partnership',
            name='latest',
            field=models.DateField(blank=True, editable=False, help_text='Last day of the latest step. Kept by the database.', null=True),
        ),
        migrations.AddField(
            model_name='partnership',
            name='since',
            field=models.DateField(blank=True, editable=False, help_text='First day of the earliest step. Kept by the database.', null=True),
        ),
        migrations.AddField(
            model_name='partnership',
            name='status',
            field=models.CharField(blank=True, choices=[('first_contact', 'first contact'), ('cooperation', 'cooperation'), ('protocol_of_intent', 'protocol of intent'), ('friendship', 'friendship'), ('twinning', 'twinning / sister cities'), ('suspended', 'suspended'), ('ended', 'ended')], editable=False, help_text="The current status: the latest step's (undated steps count as the oldest). Kept by the database from the steps.", max_length=24),
        ),
        migrations.AddIndex(
            model_name='partnership',
            index=models.Index(fields=['status'], name='partnership_status'),
        ),
        migrations.AddIndex("partnership", models.Index(fields=["since", "id"], name="partnership_since")),
        nulls_last(
            "partnership",
            models.Index(F("since").desc(nulls_last=True), F("id").desc(), name="partnership_since_desc"),
        ),
        migrations.AddIndex("partnership", models.Index(fields=["latest", "id"], name="partnership_latest")),
        nulls_last(
            "partnership",
            models.Index(F("latest").desc(nulls_last=True), F("id").desc(), name="partnership_latest_desc"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
