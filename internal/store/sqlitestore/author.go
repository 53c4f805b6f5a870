package sqlitestore

import (
	"context"
	"fmt"

	"byline/internal/news"
)

const authorCols = `id, slug, name, title, email, bio, photo_url, photo_alt`

func scanAuthor(sc interface{ Scan(...any) error }) (news.Author, error) {
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
	res, err := s.w.ExecContext(ctx, `INSERT INTO authors(slug, name, title, email, bio, photo_url, photo_alt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.Slug, a.Name, a.Title, a.Email, a.Bio, url, alt)
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "an author with slug %q already exists", a.Slug)
	}
	if err != nil {
		return fmt.Errorf("create author: %w", err)
	}
	a.ID, _ = res.LastInsertId()
	return nil
}

// UpdateAuthor saves an author's profile.
func (s *Store) UpdateAuthor(ctx context.Context, a *news.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	url, alt := photo(a)
	res, err := s.w.ExecContext(ctx, `UPDATE authors SET slug = ?, name = ?, title = ?, email = ?, bio = ?, photo_url = ?, photo_alt = ? WHERE id = ?`,
		a.Slug, a.Name, a.Title, a.Email, a.Bio, url, alt, a.ID)
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "an author with slug %q already exists", a.Slug)
	}
	if err != nil {
		return fmt.Errorf("update author: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("author")
	}
	return nil
}

// AuthorByID loads one author.
func (s *Store) AuthorByID(ctx context.Context, id int64) (news.Author, error) {
	a, err := scanAuthor(s.r.QueryRowContext(ctx, `SELECT `+authorCols+` FROM authors WHERE id = ?`, id))
	return a, notFoundOr(err, "author")
}

// AuthorBySlug loads one author by the slug of their page.
func (s *Store) AuthorBySlug(ctx context.Context, slug string) (news.Author, error) {
	a, err := scanAuthor(s.r.QueryRowContext(ctx, `SELECT `+authorCols+` FROM authors WHERE slug = ?`, slug))
	return a, notFoundOr(err, "author")
}

// ListAuthors lists all authors by name.
func (s *Store) ListAuthors(ctx context.Context) ([]news.Author, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+authorCols+` FROM authors ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list authors: %w", err)
	}
	defer rows.Close()
	var out []news.Author
	for rows.Next() {
		a, err := scanAuthor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
