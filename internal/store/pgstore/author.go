package pgstore

import (
	"context"
	"fmt"

	"byline/internal/news"

	"github.com/jackc/pgx/v5"
)

const authorCols = `id, slug, name, title, email, bio, photo_url, photo_alt`

func scanAuthor(sc pgx.Row) (news.Author, error) {
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
func (s *Store) CreateAuthor(ctx context.Context, a *news.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	url, alt := photo(a)
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO authors(slug, name, title, email, bio, photo_url, photo_alt) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		a.Slug, a.Name, a.Title, a.Email, a.Bio, url, alt).Scan(&id)
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "an author with slug %q already exists", a.Slug)
	}
	if err != nil {
		return fmt.Errorf("create author: %w", err)
	}
	a.ID = id
	return nil
}

// UpdateAuthor saves an author's profile.
func (s *Store) UpdateAuthor(ctx context.Context, a *news.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	url, alt := photo(a)
	tag, err := s.pool.Exec(ctx, `UPDATE authors SET slug = $1, name = $2, title = $3, email = $4, bio = $5, photo_url = $6, photo_alt = $7 WHERE id = $8`,
		a.Slug, a.Name, a.Title, a.Email, a.Bio, url, alt, a.ID)
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "an author with slug %q already exists", a.Slug)
	}
	if err != nil {
		return fmt.Errorf("update author: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return news.NotFound("author")
	}
	return nil
}

// AuthorByID loads one author.
func (s *Store) AuthorByID(ctx context.Context, id int64) (news.Author, error) {
	a, err := scanAuthor(s.pool.QueryRow(ctx, `SELECT `+authorCols+` FROM authors WHERE id = $1`, id))
	return a, notFoundOr(err, "author")
}

// AuthorBySlug loads one author by the slug of their page.
func (s *Store) AuthorBySlug(ctx context.Context, slug string) (news.Author, error) {
	a, err := scanAuthor(s.pool.QueryRow(ctx, `SELECT `+authorCols+` FROM authors WHERE slug = $1`, slug))
	return a, notFoundOr(err, "author")
}

// ListAuthors lists all authors by name. COLLATE "C" orders by code point,
// as SQLite does, whatever the database's locale.
func (s *Store) ListAuthors(ctx context.Context) ([]news.Author, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+authorCols+` FROM authors ORDER BY name COLLATE "C", id`)
	if err != nil {
		return nil, fmt.Errorf("list authors: %w", err)
	}
	out, err := collect(rows, func(r pgx.CollectableRow) (news.Author, error) { return scanAuthor(r) })
	if err != nil {
		return nil, fmt.Errorf("list authors: %w", err)
	}
	return out, nil
}
