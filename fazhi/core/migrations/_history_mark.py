"""The history marks' SQL (core.HistoryMark): the triggers 0008 creates and 0010 puts back on
SQLite after rebuilding the tables. Not a migration (a leading underscore)."""

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
SQLITE_TRIGGER = """
CREATE TRIGGER {table}_mark AFTER INSERT ON {table} WHEN NEW.township_id IS NOT NULL
BEGIN
    UPDATE core_historymark SET added = added + 1 WHERE township_id = NEW.township_id;
    INSERT INTO core_historymark (township_id, added) SELECT NEW.township_id, 1
    WHERE NOT EXISTS (SELECT 1 FROM core_historymark WHERE township_id = NEW.township_id);
END
"""
BACKFILL = """
INSERT INTO core_historymark (township_id, added)
SELECT township_id, COUNT(*) FROM (
    SELECT township_id FROM core_changerecord UNION ALL SELECT township_id FROM core_domainevent
) h WHERE township_id IS NOT NULL GROUP BY township_id
"""
