"""Database triggers that keep a partnership's derived columns from its status steps.

A partnership's `status` is its latest step's (undated steps count as the
oldest), `since` its steps' first day, `latest` their last day. Triggers keep
them whoever writes the steps: the admin, an import's bulk insert, raw SQL,
a merge of places. SQLite has row triggers only; PostgreSQL refreshes the
partnerships a whole statement touched at once (an import's bulk insert),
through transition tables.

Draft steps (`Record.draft`) are left out: a partnership's columns are what
readers see, so an unpublished step moves them only once it is published.

Migration 0008 installs them, 0014 again with draft steps left out; every
`migrate` installs them again (they are idempotent), since SQLite drops a
table's triggers when a migration rebuilds the table.
"""

# Stands where a step's condition goes: "AND NOT s.draft" once the column exists (see `install`).
PUBLISHED = "/*published*/"
REFRESH_ONE = """
    UPDATE partnerships_partnership SET
        status = COALESCE((SELECT s.status FROM partnerships_statusstep s
                    WHERE s.partnership_id = {id}/*published*/
                           ORDER BY s.date_latest DESC NULLS LAST, s.id DESC LIMIT 1), ''),
        since = (SELECT MIN(s.date_earliest) FROM partnerships_statusstep s
                    WHERE s.partnership_id = {id}/*published*/),
        latest = (SELECT MAX(s.date_latest) FROM partnerships_statusstep s
                    WHERE s.partnership_id = {id}/*published*/)
    WHERE id = {id}
"""
REFRESH_ALL = REFRESH_ONE.format(id="partnerships_partnership.id").replace(
    "WHERE id = partnerships_partnership.id", ""
)

SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS partnership_steps_inserted AFTER INSERT ON partnerships_statusstep BEGIN "
    f"{REFRESH_ONE.format(id='NEW.partnership_id')}; END",
    "CREATE TRIGGER IF NOT EXISTS partnership_steps_updated AFTER UPDATE ON partnerships_statusstep BEGIN "
    f"{REFRESH_ONE.format(id='OLD.partnership_id')}; {REFRESH_ONE.format(id='NEW.partnership_id')}; END",
    "CREATE TRIGGER IF NOT EXISTS partnership_steps_deleted AFTER DELETE ON partnerships_statusstep BEGIN "
    f"{REFRESH_ONE.format(id='OLD.partnership_id')}; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS partnership_steps_inserted",
    "DROP TRIGGER IF EXISTS partnership_steps_updated",
    "DROP TRIGGER IF EXISTS partnership_steps_deleted",
]
POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION partnerships_refresh_status(ids bigint[]) RETURNS void LANGUAGE sql AS $$
        -- Set-based (hash joins over the changed ids and their steps) rather than a subquery per
        -- partnership: a bulk COPY of steps fires this in the transaction that filled the table, before
        -- any ANALYZE, when the planner would scan every step for each partnership (135,000 steps of
        -- 50,000 partnerships: over twenty minutes; set-based, seconds).
        WITH changed AS (SELECT DISTINCT unnest(ids) AS id),
        steps AS (
            SELECT s.partnership_id, s.status, s.date_earliest, s.date_latest, s.id
            FROM partnerships_statusstep s JOIN changed c ON s.partnership_id = c.id
            WHERE TRUE/*published*/
        ),
        span AS (
            SELECT partnership_id, MIN(date_earliest) AS since, MAX(date_latest) AS latest FROM steps GROUP BY 1
        ),
        last AS (
            SELECT DISTINCT ON (partnership_id) partnership_id, status FROM steps
            ORDER BY partnership_id, date_latest DESC NULLS LAST, id DESC
        )
        UPDATE partnerships_partnership p
        SET status = COALESCE(last.status, ''), since = span.since, latest = span.latest
        FROM changed
            LEFT JOIN span ON span.partnership_id = changed.id
            LEFT JOIN last ON last.partnership_id = changed.id
        WHERE p.id = changed.id
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION partnerships_steps_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM partnerships_refresh_status(ARRAY(SELECT DISTINCT partnership_id FROM new_steps));
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION partnerships_steps_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM partnerships_refresh_status(ARRAY(
            SELECT partnership_id FROM old_steps UNION SELECT partnership_id FROM new_steps));
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION partnerships_steps_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        PERFORM partnerships_refresh_status(ARRAY(SELECT DISTINCT partnership_id FROM old_steps));
        RETURN NULL;
    END $$
    """,
    "CREATE OR REPLACE TRIGGER partnership_steps_inserted AFTER INSERT ON partnerships_statusstep "
    "REFERENCING NEW TABLE AS new_steps FOR EACH STATEMENT EXECUTE FUNCTION partnerships_steps_inserted()",
    "CREATE OR REPLACE TRIGGER partnership_steps_updated AFTER UPDATE ON partnerships_statusstep "
    "REFERENCING OLD TABLE AS old_steps NEW TABLE AS new_steps "
    "FOR EACH STATEMENT EXECUTE FUNCTION partnerships_steps_updated()",
    "CREATE OR REPLACE TRIGGER partnership_steps_deleted AFTER DELETE ON partnerships_statusstep "
    "REFERENCING OLD TABLE AS old_steps FOR EACH STATEMENT EXECUTE FUNCTION partnerships_steps_deleted()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS partnership_steps_inserted ON partnerships_statusstep",
    "DROP TRIGGER IF EXISTS partnership_steps_updated ON partnerships_statusstep",
    "DROP TRIGGER IF EXISTS partnership_steps_deleted ON partnerships_statusstep",
    "DROP FUNCTION IF EXISTS partnerships_steps_inserted(), partnerships_steps_updated(), "
    "partnerships_steps_deleted(), partnerships_refresh_status(bigint[])",
]


def install(connection, refresh=False):
    """Create the triggers, or replace them (and refresh every partnership's columns, once, when asked).

    Before migration 0014 the steps have no draft flag, and every step counts.
    """
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "partnerships_statusstep")}
    published = " AND NOT s.draft" if "draft" in columns else ""
    if connection.vendor == "postgresql":
        statements = POSTGRESQL
    else:  # SQLite has no CREATE OR REPLACE TRIGGER
        statements = SQLITE_DROP + SQLITE
    with connection.cursor() as cursor:
        for statement in statements + ([REFRESH_ALL] if refresh else []):
            cursor.execute(statement.replace(PUBLISHED, published))


def drop(connection):
    with connection.cursor() as cursor:
        for statement in POSTGRESQL_DROP if connection.vendor == "postgresql" else SQLITE_DROP:
            cursor.execute(statement)


def install_after_migrate(sender, using="default", **kwargs):
    """post_migrate: put back triggers a rebuilt table lost, once the status columns exist."""
    from django.db import connections

    connection = connections[using]
    if "partnerships_statusstep" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "partnerships_partnership")}
    if "status" in columns:
        install(connection)
