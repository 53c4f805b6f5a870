-- The moderation log is append-only: the database itself refuses to
-- change or delete an entry (the hash chain finds it if someone goes
-- round this, e.g. by dropping the triggers).
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'the moderation log is append-only');
END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'the moderation log is append-only');
END;
