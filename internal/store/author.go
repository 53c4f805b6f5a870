package store

import (
	"context"
	"database/sql"
	"fmt"

	"byline/internal/news"
)

// AuthorCols and ScanAuthor read an author row (engines use them until
// their article queries move here).
const AuthorCols = `id, slug, name, title, email, bio, photo_url, photo_alt`

func ScanAuthor(sc interface{ Scan(...any) error }) (news.Author, error) {
	var a news.Author
	var url, alt string
	err := sc.Scan(&a.ID, &a.Slug, &a.Name, &a.Title, &a.Email, &a.Bio, &url, &alt)
	if url != "" {
		a.Photo = &news.Image{URL: url, Alt: alt}
	}
	return a, err
}

func photo(a *news.Author) (string, string) {
	if a.Photo == nil {
		return "", ""
	}
	return a.Photo.URL, a.Photo.Alt
}

// CreateAuthor inserts an author and sets its ID.
func (db *DB) CreateAuthor(ctx context.Context, a *news.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	url, alt := photo(a)
	id, err := db.Insert(ctx, `INSERT INTO authors(slug, name, title, email, bio, photo_url, photo_alt) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Slug, a.Name, a.Title, a.Email, a.Bio, url, alt)
	if db.isUnique(err) {
		return news.Errorf(news.KindConflict, "an author with slug %q already exists", a.Slug)
	}
	if err != nil {
		return fmt.Errorf("create author: %w", err)
	}
	a.ID = id
	return nil
}

// UpdateAuthor saves an author's profile.
func (db *DB) UpdateAuthor(ctx context.Context, a *news.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	url, alt := photo(a)
	return db.InTx(ctx, func(tx Tx) error {
		res, err := tx.Exec(ctx, `UPDATE authors SET slug = ?, name = ?, title = ?, email = ?, bio = ?, photo_url = ?, photo_alt = ? WHERE id = ?`,
			a.Slug, a.Name, a.Title, a.Email, a.Bio, url, alt, a.ID)
		if db.isUnique(err) {
			return news.Errorf(news.KindConflict, "an author with slug %q already exists", a.Slug)
		}
		if err != nil {
			return fmt.Errorf("update author: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.NotFound("author")
		}
		// Their articles are found by their name.
		if _, err := tx.Exec(ctx, reindexAuthorSQL, a.ID); err != nil {
			return fmt.Errorf("update author: reindex articles: %w", err)
		}
		return nil
	})
}

// AuthorByID loads one author.
func (db *DB) AuthorByID(ctx context.Context, id int64) (news.Author, error) {
	a, err := ScanAuthor(db.QueryRow(ctx, `SELECT `+AuthorCols+` FROM authors WHERE id = ?`, id))
	return a, notFoundOr(err, "author")
}

// AuthorBySlug loads one author by the slug of their page.
func (db *DB) AuthorBySlug(ctx context.Context, slug string) (news.Author, error) {
	a, err := ScanAuthor(db.QueryRow(ctx, `SELECT `+AuthorCols+` FROM authors WHERE slug = ?`, slug))
	return a, notFoundOr(err, "author")
}

// ListAuthors lists all authors by name, in code-point order on both
// engines (COLLATE "C" whatever PostgreSQL's locale; SQLite's default).
func (db *DB) ListAuthors(ctx context.Context) ([]news.Author, error) {
	rows, err := db.Query(ctx, `SELECT `+AuthorCols+` FROM authors ORDER BY name COLLATE "C", id`)
	out, err := collect(rows, err, func(r *sql.Rows) (news.Author, error) { return ScanAuthor(r) })
	if err != nil {
		return nil, fmt.Errorf("list authors: %w", err)
	}
	return out, nil
}
