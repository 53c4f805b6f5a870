package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"byline/internal/news"
)

// The Standards Board Policy (versioned) and the comment settings.

const policyCols = `version, body, note, editor, created_at`

func scanPolicy(sc interface{ Scan(...any) error }) (news.PolicyVersion, error) {
	var p news.PolicyVersion
	err := sc.Scan(&p.Version, &p.Body, &p.Note, &p.Editor, Time(&p.CreatedAt))
	return p, err
}

// CurrentPolicy is the newest policy version.
func (db *DB) CurrentPolicy(ctx context.Context) (news.PolicyVersion, error) {
	p, err := scanPolicy(db.QueryRow(ctx, `SELECT `+policyCols+` FROM comment_policy ORDER BY version DESC LIMIT 1`))
	return p, notFoundOr(err, "policy")
}

// PolicyVersionByNumber loads one version.
func (db *DB) PolicyVersionByNumber(ctx context.Context, v int) (news.PolicyVersion, error) {
	p, err := scanPolicy(db.QueryRow(ctx, `SELECT `+policyCols+` FROM comment_policy WHERE version = ?`, v))
	return p, notFoundOr(err, "policy version")
}

// PolicyVersions lists every version, newest first.
func (db *DB) PolicyVersions(ctx context.Context) ([]news.PolicyVersion, error) {
	rows, err := db.Query(ctx, `SELECT `+policyCols+` FROM comment_policy ORDER BY version DESC`)
	return collect(rows, err, func(r *sql.Rows) (news.PolicyVersion, error) { return scanPolicy(r) })
}

// AddPolicyVersion stores the next version. Two editors saving at once
// (on two servers) both succeed, one after the other: the version key
// refuses the second insert, which then takes the next number.
func (db *DB) AddPolicyVersion(ctx context.Context, p *news.PolicyVersion) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now().UTC()
	}
	p.CreatedAt = p.CreatedAt.UTC().Truncate(time.Millisecond)
	for range 3 {
		err := db.WriteRow(ctx, `INSERT INTO comment_policy(version, body, note, editor, created_at)
			VALUES ((SELECT COALESCE(MAX(version), 0) + 1 FROM comment_policy), ?, ?, ?, ?) RETURNING version`,
			p.Body, p.Note, p.Editor, p.CreatedAt).Scan(&p.Version)
		if !db.isUnique(err) {
			return err
		}
	}
	return news.Errorf(news.KindConflict, "the policy was being changed at the same time; try again")
}

// CommentSettings returns the saved settings or the defaults.
func (db *DB) CommentSettings(ctx context.Context) (news.CommentSettings, error) {
	st := news.DefaultCommentSettings()
	var body string
	err := db.QueryRow(ctx, `SELECT body FROM comment_settings WHERE id = 1`).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal([]byte(body), &st)
}

// SaveCommentSettings replaces the settings.
func (db *DB) SaveCommentSettings(ctx context.Context, st news.CommentSettings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = db.Exec(ctx, `INSERT INTO comment_settings(id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`, string(b))
	return err
}
