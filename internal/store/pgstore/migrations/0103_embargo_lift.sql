-- The scheduler now lifts embargoes (LiftEmbargoes): at the embargo's end it
-- clears the embargo and announces the article to webhooks, exactly once.
-- Embargoes that ended before this version were announced when the article
-- was published: clear them, so that nothing is announced twice.
UPDATE articles SET embargo_until = NULL WHERE embargo_until IS NOT NULL AND embargo_until <= now();
-- Only embargoes still to come keep a value: this index stays small.
CREATE INDEX articles_embargo ON articles(embargo_until) WHERE embargo_until IS NOT NULL;
