-- The moderation log is append-only: the database itself refuses to
-- change or delete an entry (the hash chain finds it if someone goes
-- round this, e.g. by dropping the trigger).
CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the moderation log is append-only';
END $$;
CREATE TRIGGER moderation_log_no_change BEFORE UPDATE OR DELETE ON moderation_log
    FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only();
