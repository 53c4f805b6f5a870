package store

import (
	"context"
	"fmt"

	"byline/internal/news"
)

// ImportMapping returns the id an import created for a source's key.
func (db *DB) ImportMapping(ctx context.Context, source, kind, key string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `SELECT id FROM import_map WHERE source = ? AND kind = ? AND key = ?`, source, kind, key).Scan(&id)
	return id, notFoundOr(err, "import mapping")
}

// SetImportMapping remembers the id created for a source's key.
func (db *DB) SetImportMapping(ctx context.Context, source, kind, key string, id int64) error {
	_, err := db.Exec(ctx, `INSERT INTO import_map(source, kind, key, id) VALUES (?, ?, ?, ?)
		ON CONFLICT (source, kind, key) DO UPDATE SET id = excluded.id`, source, kind, key, id)
	if err != nil {
		return fmt.Errorf("set import mapping: %w", err)
	}
	return nil
}

// StageComment keeps an imported comment once.
func (db *DB) StageComment(ctx context.Context, c news.StagedComment) (bool, error) {
	res, err := db.Exec(ctx, `INSERT INTO wp_comments(source, external_id, article_id, parent_ext, author_name, author_email, author_url, body, created_at)
		VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (source, external_id) DO NOTHING`,
		c.Source, c.ExternalID, c.ArticleID, c.ParentExtID, c.AuthorName, c.AuthorEmail, c.AuthorURL, c.Body, c.CreatedAt)
	if err != nil {
		return false, fmt.Errorf("stage comment: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// AddImportRedirect records an old path of an imported article.
func (db *DB) AddImportRedirect(ctx context.Context, from string, articleID int64) error {
	_, err := db.Exec(ctx, `INSERT INTO import_redirects(from_path, article_id) VALUES (?, ?)
		ON CONFLICT (from_path) DO UPDATE SET article_id = excluded.article_id`, from, articleID)
	if err != nil {
		return fmt.Errorf("add redirect: %w", err)
	}
	return nil
}

// ImportRedirect finds the article an old path moved to.
func (db *DB) ImportRedirect(ctx context.Context, from string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `SELECT article_id FROM import_redirects WHERE from_path = ?`, from).Scan(&id)
	return id, notFoundOr(err, "redirect")
}
