-- tracker_totals is read by scope over a range of days (every chart asks
-- a year of '*'), but written day by day for every scope of the day's
-- articles, so one scope's rows of a year lie on as many heap pages as
-- days (174 pages for 358 rows in a paper of 20,000 articles): a warm
-- chart read them all. The key now carries the count, so that the read
-- is an index-only scan of a few pages. (SQLite's table is WITHOUT ROWID:
-- its rows already lie in key order.)
ALTER TABLE tracker_totals DROP CONSTRAINT tracker_totals_pkey;
ALTER TABLE tracker_totals ADD PRIMARY KEY (scope, day) INCLUDE (articles);
