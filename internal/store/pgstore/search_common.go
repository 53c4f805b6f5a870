package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The commonest lexemes of the archive (search_common) and every
// article's masks of them (article_common, migration 0840) are chosen and
// computed again without making article writes wait (migration 0920):
//
//  1. search_common_dirty is emptied: from here on it holds every article
//     written since (the trigger notes each one it touches; a writer whose
//     note was there already holds it, so the emptying waits for its
//     commit, before step 2's snapshot);
//  2. the new choice and masks are built in search_common_next and
//     article_common_next from one snapshot of article_search, while
//     searches read the old tables and articles go on being written (about
//     17 s per 100,000 articles);
//  3. in one transaction that holds both tables exclusively (writers of
//     articles and searches wait, for milliseconds), the articles noted in
//     step 1's table are masked again by the new choice, and the new tables
//     take the old ones' names.
//
// A write that committed before step 2's snapshot is in the build; one
// that committed after it was noted, and its note is visible to step 3:
// such a writer held article_common (its trigger writes there before it
// notes the article), so step 3's lock waited for its commit. A writer
// that reaches article_common after the lock writes, once it is granted,
// into the new table with the new choice.

// commonLock, with the schema's name, is the advisory lock that lets one
// rebuild of a paper run at a time (`tidy-search` on two servers at once,
// or beside an import).
const commonLock int32 = 0x62636f6d // "bcom"

// rebuildCommonLocked runs rebuildCommon on a connection of its own that
// holds commonLock, then vacuums the new article_common and has the next
// search read the new statistics. With onlyStale, it gives up (false)
// when another rebuild runs, or when search_common is no longer stale
// once the lock is held (another server rebuilt it meanwhile).
func (s *Store) rebuildCommonLocked(ctx context.Context, built func(), onlyStale bool) (bool, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Release()
	lock := `SELECT true FROM pg_advisory_lock($1, hashtext(current_schema()))`
	if onlyStale {
		lock = `SELECT pg_try_advisory_lock($1, hashtext(current_schema()))`
	}
	var got bool
	if err := conn.QueryRow(ctx, lock, commonLock).Scan(&got); err != nil {
		conn.Conn().Close(context.WithoutCancel(ctx)) // it may hold the lock
		return false, fmt.Errorf("wait for another rebuild of the masks: %w", err)
	}
	if !got {
		return false, nil
	}
	ran := true
	if onlyStale {
		ran, err = commonStale(ctx, conn)
	}
	if ran && err == nil {
		err = rebuildCommon(ctx, conn, built)
	}
	if _, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, commonLock); uerr != nil {
		// The lock is the session's: end it rather than keep it.
		conn.Conn().Close(context.WithoutCancel(ctx))
	}
	if !ran || err != nil {
		return false, err
	}
	if _, err := s.pool.Exec(ctx, `VACUUM ANALYZE article_common`); err != nil {
		return true, err
	}
	s.words.mu.Lock()
	s.words.read = time.Time{}
	s.words.mu.Unlock()
	return true, nil
}

// search_common is stale when more than staleShare of the staleTop
// lexemes ANALYZE now finds commonest in article_search are not in it.
// Only the top is compared: ANALYZE reads a sample, and two samples of
// one archive (100,082 articles) disagree on 45-53 of the 1,000 commonest
// lexemes, all of them below the 500th, where the lexemes are too rare
// to be walked for anyway (a walk is for words in more than about 6 % of
// articles).
const (
	staleTop   = 500
	staleShare = 0.05
)

// commonStale reports whether search_common has drifted from article_search's
// statistics (see staleShare); with no statistics it has not.
func commonStale(ctx context.Context, c commonConn) (bool, error) {
	var missing, all int
	if err := c.QueryRow(ctx, `SELECT count(*) FILTER (WHERE c.lexeme IS NULL), count(*)
		FROM (`+commonestLexemes+`) x LEFT JOIN search_common c ON c.lexeme = x.lex
		WHERE x.n <= $1`, staleTop).Scan(&missing, &all); err != nil {
		return false, fmt.Errorf("compare the commonest words with search's choice: %w", err)
	}
	return all > 0 && float64(missing) > staleShare*float64(all), nil
}

// SearchUpkeep rebuilds search_common and article_common (without making
// article writes wait) when search_common is stale: the paper grew into
// other common words since it was chosen. The statistics it compares are
// autovacuum's ANALYZE, which follows a table's growth.
func (s *Store) SearchUpkeep(ctx context.Context) (bool, error) {
	stale, err := commonStale(ctx, s.pool)
	if err != nil || !stale {
		return false, err
	}
	ran, err := s.rebuildCommonLocked(ctx, nil, true)
	if err != nil {
		return ran, fmt.Errorf("search upkeep: %w", err)
	}
	return ran, nil
}

const zeroMask = `repeat('0', 1024)::bit(1024)`

// chooseCommon fills search_common_next with the 1,024 lexemes ANALYZE
// found commonest in article_search's words, each with its bit.
const chooseCommon = `INSERT INTO search_common_next (lexeme, mask)
	SELECT x.lex, set_bit(` + zeroMask + `, (x.n - 1)::int, 1) FROM (` + commonestLexemes + `) x`

// commonestLexemes lists (lex, n) the 1,024 lexemes ANALYZE found commonest
// in article_search's words, the commonest first (n from 1).
const commonestLexemes = `SELECT x.lex, x.n
	FROM (SELECT m.lex, row_number() OVER (ORDER BY m.f DESC, m.lex) AS n
	      FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
	      JOIN pg_stats s ON s.schemaname = ns.nspname AND s.tablename = c.relname AND s.attname = 'words',
	      unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(lex, f)
	      -- the frequencies end with three more numbers (least, greatest, empty)
	      WHERE c.oid = 'article_search'::regclass AND m.lex IS NOT NULL) x
	WHERE x.n <= 1024`

// maskCommon fills article_common_next from article_search with masks of
// search_common_next's lexemes: every article, or with "$1" as where
// those of the ids in $1.
func maskCommon(where string) string {
	only, onlyA := "", ""
	if where != "" {
		only, onlyA = "WHERE s.id = ANY("+where+")", "WHERE a.id = ANY("+where+")"
	}
	mask := func(col string) string {
		return `(SELECT coalesce(bit_or(c.mask), ` + zeroMask + `) FROM search_common_next c
		WHERE c.lexeme = ANY(tsvector_to_array(` + col + `)))`
	}
	return `INSERT INTO article_common_next (id, status, published_at, embargo_until, common, head_common, lead_common)
	SELECT a.id, a.status, a.published_at, a.embargo_until, coalesce(m.mask, ` + zeroMask + `),
		` + mask("a.head") + `, ` + mask("a.lead") + `
	FROM article_search a LEFT JOIN (
		SELECT s.id, bit_or(c.mask) AS mask
		FROM article_search s CROSS JOIN LATERAL unnest(tsvector_to_array(s.words)) AS l(lex)
		JOIN search_common_next c ON c.lexeme = l.lex
		` + only + `
		GROUP BY s.id) m ON m.id = a.id
	` + onlyA + `
	ORDER BY a.published_at NULLS FIRST, a.id`
}

// commonConn is what the rebuild runs on: a connection of the pool, or
// migrate-data's transaction.
type commonConn interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// rebuildCommon chooses search_common's lexemes again from article_search's
// statistics (ANALYZE it first) and recomputes article_common, as the
// comment above says. built, if not nil, runs between steps 2 and 3
// (tests write articles there). One rebuild runs at a time: the caller
// holds commonLock, or a transaction no one else sees yet (migrate-data).
func rebuildCommon(ctx context.Context, c commonConn, built func()) error {
	for _, q := range []string{
		`DELETE FROM search_common_dirty`,
		// Left by a rebuild that stopped half-way.
		`DROP TABLE IF EXISTS search_common_next, article_common_next`,
		`CREATE TABLE search_common_next (lexeme text PRIMARY KEY, mask bit(1024) NOT NULL)`,
		chooseCommon,
		`CREATE TABLE article_common_next (LIKE article_common INCLUDING DEFAULTS)`,
		maskCommon(""),
		`ALTER TABLE article_common_next ADD CONSTRAINT article_common_next_pkey PRIMARY KEY (id)`,
		`CREATE INDEX article_common_next_newest ON article_common_next (published_at DESC NULLS LAST, id DESC)`,
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			return fmt.Errorf("build the commonest words' masks: %w", err)
		}
	}
	if built != nil {
		built()
	}
	for try := 1; ; try++ {
		err := swapCommon(ctx, c)
		var pe *pgconn.PgError
		if err == nil || !errors.As(err, &pe) || pe.Code != "55P03" {
			return err
		}
		if try == swapTries {
			return fmt.Errorf("swap the commonest words' masks: %d times a transaction held search's tables for more than %s (a backup?); the old masks stay, try again later", swapTries, swapLockTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(swapLockTimeout):
		}
	}
}

// The swap asks for search's tables for at most swapLockTimeout, swapTries
// times: a long transaction reading them (pg_dump holds every table until
// it ends) would otherwise hold the swap's request, and behind it every
// search and article write, for as long.
var (
	swapLockTimeout = 2 * time.Second
	swapTries       = 5
)

// swapCommon is the rebuild's third step (see above).
func swapCommon(ctx context.Context, c commonConn) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var ids []int64
	var was string
	if err := tx.QueryRow(ctx, `SELECT current_setting('lock_timeout'), set_config('lock_timeout', $1, true)`,
		strconv.FormatInt(swapLockTimeout.Milliseconds(), 10)).Scan(&was, nil); err != nil {
		return fmt.Errorf("swap the commonest words' masks: %w", err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE search_common, article_common IN ACCESS EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("swap the commonest words' masks: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, was); err != nil {
		return fmt.Errorf("swap the commonest words' masks: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(id), '{}') FROM search_common_dirty`).Scan(&ids); err != nil {
		return fmt.Errorf("swap the commonest words' masks: %w", err)
	}
	for _, q := range []string{
		`DELETE FROM article_common_next WHERE id = ANY($1)`,
		maskCommon("$1"),
		`DELETE FROM search_common_dirty WHERE id = ANY($1)`,
	} {
		if _, err := tx.Exec(ctx, q, ids); err != nil {
			return fmt.Errorf("mask the articles written meanwhile: %w", err)
		}
	}
	for _, q := range []string{
		`DROP TABLE search_common, article_common`,
		`ALTER TABLE search_common_next RENAME TO search_common`,
		`ALTER INDEX search_common_next_pkey RENAME TO search_common_pkey`,
		`ALTER TABLE article_common_next RENAME TO article_common`,
		`ALTER INDEX article_common_next_pkey RENAME TO article_common_pkey`,
		`ALTER INDEX article_common_next_newest RENAME TO article_common_newest`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("swap the commonest words' masks: %w", err)
		}
	}
	return tx.Commit(ctx)
}
