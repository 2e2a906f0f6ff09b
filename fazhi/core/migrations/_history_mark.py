"""The history marks' SQL (core.HistoryMark). Not a migration (a leading underscore).

PostgreSQL: the statement-level triggers 0008 creates, which add each insert statement's rows to
the township's mark. SQLite: 0008 created a per-row trigger (and 0010 put it back after
rebuilding the tables); 0011 replaced it by an index on each history table's township, from
which `core.audit.records_versions` reads the township's highest ids (SQLite has one writer at
a time, so they grow in commit order). SQLite rebuilds a table to alter it and the rebuild drops
what Django does not know of — the index here (and, before 0011, the trigger): a migration that
alters a history table on SQLite must create it again (`SQLITE_INDEX`, as 0010 did for the
trigger); core/tests/test_history_mark.py fails without it."""

HISTORY = ("core_changerecord", "core_domainevent")

PG_FUNCTION = """
CREATE FUNCTION core_history_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_historymark (township_id, added)
    SELECT township_id, COUNT(*) FROM new_rows WHERE township_id IS NOT NULL
    GROUP BY township_id;
    RETURN NULL;
END $$
"""
PG_TRIGGER = """
CREATE TRIGGER {table}_mark AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION core_history_mark()
"""
#: SQLite before 0011 (0008, 0010, and 0011 reversed): one mark row per township, incremented
#: by every inserted history row
SQLITE_TRIGGER = """
CREATE TRIGGER {table}_mark AFTER INSERT ON {table} WHEN NEW.township_id IS NOT NULL
BEGIN
    UPDATE core_historymark SET added = added + 1 WHERE township_id = NEW.township_id;
    INSERT INTO core_historymark (township_id, added) SELECT NEW.township_id, 1
    WHERE NOT EXISTS (SELECT 1 FROM core_historymark WHERE township_id = NEW.township_id);
END
"""
#: SQLite from 0011: (township_id, rowid) — the township's highest id in one index lookup (the
#: composite indexes start with the township too, but then the content type and object id, so
#: the highest id would be a scan of the township's entries)
SQLITE_INDEX_NAME = "{table}_by_township"
SQLITE_INDEX = "CREATE INDEX IF NOT EXISTS {table}_by_township ON {table} (township_id)"
BACKFILL = """
INSERT INTO core_historymark (township_id, added)
SELECT township_id, COUNT(*) FROM (
    SELECT township_id FROM core_changerecord UNION ALL SELECT township_id FROM core_domainevent
) h WHERE township_id IS NOT NULL GROUP BY township_id
"""
#: 0011 reversed (SQLite): each township's mark starts at its version under 0011 (the sum of
#: its highest ids, never less than its rows), so the number keeps growing across the downgrade
#: and no key the board cached under 0011 can come back with other content
BACKFILL_VERSIONS = """
INSERT INTO core_historymark (township_id, added)
SELECT township_id, SUM(top) FROM (
    SELECT township_id, MAX(id) AS top FROM core_changerecord GROUP BY township_id
    UNION ALL SELECT township_id, MAX(id) FROM core_domainevent GROUP BY township_id
) h WHERE township_id IS NOT NULL GROUP BY township_id
"""
