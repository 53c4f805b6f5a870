-- The generation of the moderation rules: one counter, raised in the
-- transaction of every rule change (save, order, retire). A server reads
-- it with the article's metadata before each comment and reloads its
-- rules when they are of another generation, so a rule changed through
-- one server governs the very next comment on every other, whether or
-- not the NOTIFY has reached it yet.
CREATE TABLE mod_rule_generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	generation BIGINT NOT NULL
);
INSERT INTO mod_rule_generation(id, generation) VALUES (1, 0);
