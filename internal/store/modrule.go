package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"byline/internal/news"
)

// modRuleLock serialises rule writes (versions and positions are read
// and then written).
const modRuleLock int64 = 0x62796c696e6516

const modRuleCols = `r.id, v.version, r.position, r.retired, v.name, v.cond, v.action, v.message, v.clause, v.editor, v.note, v.created_at`

func scanModRule(rows interface{ Scan(...any) error }) (news.ModRule, error) {
	var m news.ModRule
	var cond string
	if err := rows.Scan(&m.ID, &m.Version, &m.Position, &m.Retired, &m.Name, &cond, &m.Action, &m.Message, &m.Clause, &m.Editor, &m.Note, Time(&m.CreatedAt)); err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(cond), &m.When); err != nil {
		return m, fmt.Errorf("rule %d v%d: condition: %w", m.ID, m.Version, err)
	}
	return m, nil
}

// ModRules lists the rules in force, first priority first.
func (db *DB) ModRules(ctx context.Context) ([]news.ModRule, error) {
	rows, err := db.Query(ctx, `SELECT `+modRuleCols+` FROM mod_rules r JOIN mod_rule_versions v ON v.rule_id = r.id AND v.version = r.version
		WHERE r.retired = FALSE ORDER BY r.position, r.id`)
	out, err := collect(rows, err, func(r *sql.Rows) (news.ModRule, error) { return scanModRule(r) })
	if err != nil {
		return nil, fmt.Errorf("list moderation rules: %w", err)
	}
	return out, nil
}

// ModRuleByID loads a rule at its newest version.
func (db *DB) ModRuleByID(ctx context.Context, id int64) (news.ModRule, error) {
	m, err := scanModRule(db.QueryRow(ctx, `SELECT `+modRuleCols+` FROM mod_rules r JOIN mod_rule_versions v ON v.rule_id = r.id AND v.version = r.version WHERE r.id = ?`, id))
	if err != nil {
		return m, notFoundOr(err, "moderation rule")
	}
	return m, nil
}

// ModRuleVersions lists every version of a rule, newest first.
func (db *DB) ModRuleVersions(ctx context.Context, id int64) ([]news.ModRule, error) {
	rows, err := db.Query(ctx, `SELECT `+modRuleCols+` FROM mod_rules r JOIN mod_rule_versions v ON v.rule_id = r.id WHERE r.id = ? ORDER BY v.version DESC`, id)
	out, err := collect(rows, err, func(r *sql.Rows) (news.ModRule, error) { return scanModRule(r) })
	if err != nil {
		return nil, fmt.Errorf("rule versions: %w", err)
	}
	if len(out) == 0 {
		return nil, news.NotFound("moderation rule")
	}
	return out, nil
}

// SaveModRule stores a new rule or a new version of one.
func (db *DB) SaveModRule(ctx context.Context, m *news.ModRule) error {
	if err := m.Validate(); err != nil {
		return err
	}
	cond, err := json.Marshal(m.When)
	if err != nil {
		return err
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now()
	}
	m.CreatedAt = m.CreatedAt.UTC().Truncate(time.Millisecond)
	return db.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx, modRuleLock); err != nil {
			return err
		}
		if m.ID == 0 {
			var last int
			if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(position), 0) FROM mod_rules`).Scan(&last); err != nil {
				return err
			}
			id, err := tx.Insert(ctx, `INSERT INTO mod_rules(position, version, retired) VALUES (?, 1, FALSE) RETURNING id`, last+1)
			if err != nil {
				return fmt.Errorf("create rule: %w", err)
			}
			m.ID, m.Version, m.Position, m.Retired = id, 1, last+1, false
		} else {
			var cur, pos int
			var retired bool
			if err := tx.QueryRow(ctx, `SELECT version, position, retired FROM mod_rules WHERE id = ?`, m.ID).Scan(&cur, &pos, &retired); err != nil {
				return notFoundOr(err, "moderation rule")
			}
			if retired {
				return news.Errorf(news.KindConflict, "this rule was retired; write a new one")
			}
			if m.Version != cur {
				return news.Errorf(news.KindConflict, "someone saved version %d of this rule meanwhile; reload it", cur)
			}
			m.Version, m.Position = cur+1, pos
			if _, err := tx.Exec(ctx, `UPDATE mod_rules SET version = ? WHERE id = ?`, m.Version, m.ID); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO mod_rule_versions(rule_id, version, name, cond, action, message, clause, editor, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.Version, m.Name, string(cond), string(m.Action), m.Message, m.Clause, m.Editor, m.Note, m.CreatedAt)
		if err != nil {
			return fmt.Errorf("save rule version: %w", err)
		}
		return nextRuleGeneration(ctx, tx)
	})
}

// OrderModRules puts the named rules first, in the order given.
func (db *DB) OrderModRules(ctx context.Context, ids []int64) error {
	return db.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx, modRuleLock); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id FROM mod_rules ORDER BY position, id`)
		all, err := collect(rows, err, func(r *sql.Rows) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil {
			return err
		}
		order := make([]int64, 0, len(all))
		for _, id := range ids {
			if !slices.Contains(all, id) {
				return news.NotFound("moderation rule")
			}
			if !slices.Contains(order, id) {
				order = append(order, id)
			}
		}
		for _, id := range all {
			if !slices.Contains(order, id) {
				order = append(order, id)
			}
		}
		for i, id := range order {
			if _, err := tx.Exec(ctx, `UPDATE mod_rules SET position = ? WHERE id = ?`, i+1, id); err != nil {
				return err
			}
		}
		return nextRuleGeneration(ctx, tx)
	})
}

// RetireModRule takes a rule out of force, keeping its versions.
func (db *DB) RetireModRule(ctx context.Context, id int64) error {
	return db.InTx(ctx, func(tx Tx) error {
		res, err := tx.Exec(ctx, `UPDATE mod_rules SET retired = TRUE WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.NotFound("moderation rule")
		}
		return nextRuleGeneration(ctx, tx)
	})
}

// nextRuleGeneration raises the rules' generation in the transaction
// of the change, so no server can read the new rules under the old
// generation (and keep them stale) or the new generation before the
// rules.
func nextRuleGeneration(ctx context.Context, tx Tx) error {
	if _, err := tx.Exec(ctx, `UPDATE mod_rule_generation SET generation = generation + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("rules generation: %w", err)
	}
	return nil
}

// RuleGeneration reads the rules' generation.
func (db *DB) RuleGeneration(ctx context.Context) (int64, error) {
	var g int64
	if err := db.QueryRow(ctx, `SELECT generation FROM mod_rule_generation WHERE id = 1`).Scan(&g); err != nil {
		return 0, fmt.Errorf("rules generation: %w", err)
	}
	return g, nil
}

// RuleArticle reads an article's publication time and comment count,
// section chain, tags, flags and stories, and the rules' generation, in
// one query (it runs before every comment while rules are in force).
func (db *DB) RuleArticle(ctx context.Context, articleID int64) (news.RuleArticle, error) {
	a := news.RuleArticle{ID: articleID}
	rows, err := db.hotRows(ctx, `SELECT 'a', comment_count, '', published_at FROM articles WHERE id = ?
		UNION ALL SELECT 's', s.id, '', NULL FROM articles a JOIN sections o ON o.id = a.section_id
			JOIN sections s ON (o.path = s.path OR o.path LIKE s.path || '/%') WHERE a.id = ?
		UNION ALL SELECT 't', 0, tag, NULL FROM article_tags WHERE article_id = ?
		UNION ALL SELECT 'f', 0, flag, NULL FROM article_mod_flags WHERE article_id = ?
		UNION ALL SELECT 'y', s.id, s.status, NULL FROM story_entries e JOIN stories s ON s.id = e.story_id WHERE e.article_id = ?
		UNION ALL SELECT 'g', generation, '', NULL FROM mod_rule_generation WHERE id = 1`,
		articleID, articleID, articleID, articleID, articleID)
	if err != nil {
		return a, fmt.Errorf("rule article: %w", err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var kind, text string
		var n int64
		var t time.Time
		if err := rows.Scan(&kind, &n, &text, Time(&t)); err != nil {
			return a, err
		}
		switch kind {
		case "a":
			found, a.CommentCount, a.PublishedAt = true, int(n), t
		case "s":
			a.Sections = append(a.Sections, n)
		case "t":
			a.Tags = append(a.Tags, text)
		case "f":
			a.Flags = append(a.Flags, text)
		case "y":
			a.Stories = append(a.Stories, n)
			a.StoryStatuses = append(a.StoryStatuses, news.StoryStatus(text))
		case "g":
			a.RulesGeneration = n
		}
	}
	if err := rows.Err(); err != nil {
		return a, err
	}
	if !found {
		return a, news.NotFound("article")
	}
	return a, nil
}

// SetArticleFlags replaces an article's moderation flags.
func (db *DB) SetArticleFlags(ctx context.Context, articleID int64, flags []string) error {
	for _, f := range flags {
		if !news.ValidFlag(f) {
			return news.Invalid("flags", "unknown article flag %q", f)
		}
	}
	return db.InTx(ctx, func(tx Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM articles WHERE id = ?`, articleID).Scan(&one); err != nil {
			return notFoundOr(err, "article")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM article_mod_flags WHERE article_id = ?`, articleID); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, f := range flags {
			if seen[f] {
				continue
			}
			seen[f] = true
			if _, err := tx.Exec(ctx, `INSERT INTO article_mod_flags(article_id, flag) VALUES (?, ?)`, articleID, f); err != nil {
				return fmt.Errorf("set article flags: %w", err)
			}
		}
		return nil
	})
}
