-- Who created each article in the newsroom: contributors may edit only
-- their own. No foreign key to staff_users: accounts are disabled, never
-- deleted, and imported articles have no staff creator.
CREATE TABLE article_owners (
    article_id bigint PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    user_id    bigint NOT NULL
);
