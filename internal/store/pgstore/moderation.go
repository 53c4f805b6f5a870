package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"byline/internal/news"
)

var _ news.ModerationStore = (*Store)(nil)

// CommentSettings returns the saved settings or the defaults.
func (s *Store) CommentSettings(ctx context.Context) (news.CommentSettings, error) {
	st := news.DefaultCommentSettings()
	var body string
	err := s.pool.QueryRow(ctx, `SELECT body FROM comment_settings WHERE id = 1`).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal([]byte(body), &st)
}

// SaveCommentSettings replaces the settings.
func (s *Store) SaveCommentSettings(ctx context.Context, st news.CommentSettings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO comment_settings(id, body) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET body = excluded.body`, string(b))
	return err
}

const policyCols = `version, body, note, editor, created_at`

func scanPolicy(sc scanner) (news.PolicyVersion, error) {
	var p news.PolicyVersion
	err := sc.Scan(&p.Version, &p.Body, &p.Note, &p.Editor, &p.CreatedAt)
	p.CreatedAt = p.CreatedAt.UTC()
	return p, err
}

// CurrentPolicy is the newest policy version.
func (s *Store) CurrentPolicy(ctx context.Context) (news.PolicyVersion, error) {
	p, err := scanPolicy(s.pool.QueryRow(ctx, `SELECT `+policyCols+` FROM comment_policy ORDER BY version DESC LIMIT 1`))
	return p, notFoundOr(err, "policy")
}

// PolicyVersionByNumber loads one version.
func (s *Store) PolicyVersionByNumber(ctx context.Context, v int) (news.PolicyVersion, error) {
	p, err := scanPolicy(s.pool.QueryRow(ctx, `SELECT `+policyCols+` FROM comment_policy WHERE version = $1`, v))
	return p, notFoundOr(err, "policy version")
}

// PolicyVersions lists every version, newest first.
func (s *Store) PolicyVersions(ctx context.Context) ([]news.PolicyVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+policyCols+` FROM comment_policy ORDER BY version DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.PolicyVersion
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddPolicyVersion stores the next version. Two editors saving at once
// both succeed, one after the other (the version key decides).
func (s *Store) AddPolicyVersion(ctx context.Context, p *news.PolicyVersion) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now().UTC()
	}
	for range 3 {
		err := s.pool.QueryRow(ctx, `INSERT INTO comment_policy(version, body, note, editor, created_at)
			VALUES ((SELECT COALESCE(MAX(version), 0) + 1 FROM comment_policy), $1, $2, $3, $4) RETURNING version`,
			p.Body, p.Note, p.Editor, ts(p.CreatedAt)).Scan(&p.Version)
		if !isUnique(err) {
			return err
		}
	}
	return news.Errorf(news.KindConflict, "the policy was being changed at the same time; try again")
}
