package sqlitestore

import (
	"context"
	"time"

	"byline/internal/news"
)

const policyCols = `version, body, note, editor, created_at`

func scanPolicy(sc interface{ Scan(...any) error }) (news.PolicyVersion, error) {
	var p news.PolicyVersion
	var created int64
	err := sc.Scan(&p.Version, &p.Body, &p.Note, &p.Editor, &created)
	p.CreatedAt = time.UnixMilli(created).UTC()
	return p, err
}

// CurrentPolicy is the newest policy version.
func (s *Store) CurrentPolicy(ctx context.Context) (news.PolicyVersion, error) {
	p, err := scanPolicy(s.r.QueryRowContext(ctx, `SELECT `+policyCols+` FROM comment_policy ORDER BY version DESC LIMIT 1`))
	return p, notFoundOr(err, "policy")
}

// PolicyVersionByNumber loads one version.
func (s *Store) PolicyVersionByNumber(ctx context.Context, v int) (news.PolicyVersion, error) {
	p, err := scanPolicy(s.r.QueryRowContext(ctx, `SELECT `+policyCols+` FROM comment_policy WHERE version = ?`, v))
	return p, notFoundOr(err, "policy version")
}

// PolicyVersions lists every version, newest first.
func (s *Store) PolicyVersions(ctx context.Context) ([]news.PolicyVersion, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+policyCols+` FROM comment_policy ORDER BY version DESC`)
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

// AddPolicyVersion stores the next version.
func (s *Store) AddPolicyVersion(ctx context.Context, p *news.PolicyVersion) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now().UTC()
	}
	err := s.w.QueryRowContext(ctx, `INSERT INTO comment_policy(version, body, note, editor, created_at)
		VALUES ((SELECT COALESCE(MAX(version), 0) + 1 FROM comment_policy), ?, ?, ?, ?) RETURNING version`,
		p.Body, p.Note, p.Editor, p.CreatedAt.UnixMilli()).Scan(&p.Version)
	return err
}
