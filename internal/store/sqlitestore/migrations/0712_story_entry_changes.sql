-- Live coverage of edits and removals (docs/stories.md): when an editor
-- last changed an entry (NULL: never), and the entries removed, so that
-- open pages asking "what changed since" learn of both.
ALTER TABLE story_entries ADD COLUMN changed_at INTEGER;
CREATE INDEX story_entries_changed ON story_entries(story_id, changed_at) WHERE changed_at IS NOT NULL;
CREATE TABLE story_entry_removals (
    story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    entry_id   INTEGER NOT NULL,
    removed_at INTEGER NOT NULL,
    PRIMARY KEY (story_id, entry_id)
);
CREATE INDEX story_entry_removals_at ON story_entry_removals(story_id, removed_at);
