-- Comment moderation rules by article metadata (issue 16). A rule keeps
-- its place and newest version in mod_rules; every version ever saved
-- stays in mod_rule_versions (decisions cite rule and version).
CREATE TABLE mod_rules (
    id       bigserial PRIMARY KEY,
    position INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    retired  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE mod_rule_versions (
    rule_id    bigint NOT NULL REFERENCES mod_rules(id),
    version    INTEGER NOT NULL,
    name       TEXT NOT NULL,
    cond       TEXT NOT NULL,
    action     TEXT NOT NULL,
    message    TEXT NOT NULL DEFAULT '',
    clause     TEXT NOT NULL DEFAULT '',
    editor     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    PRIMARY KEY (rule_id, version)
);
-- Article flags (court case active, minors, ...): facts for rules that
-- public tags must not carry.
CREATE TABLE article_mod_flags (
    article_id bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    flag       TEXT NOT NULL,
    PRIMARY KEY (article_id, flag)
);
