package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"

	"byline/internal/news"
)

// ListSections returns the whole tree, parents before children, each
// level in position order.
func (s *Store) ListSections(ctx context.Context) ([]news.Section, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), slug, path, name, description, position FROM sections`)
	if err != nil {
		return nil, fmt.Errorf("list sections: %w", err)
	}
	defer rows.Close()
	var all []news.Section
	for rows.Next() {
		var sec news.Section
		if err := rows.Scan(&sec.ID, &sec.ParentID, &sec.Slug, &sec.Path, &sec.Name, &sec.Description, &sec.Position); err != nil {
			return nil, err
		}
		all = append(all, sec)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return news.OrderSections(all), nil
}

// CreateSection inserts a section under s.ParentID and sets its ID and Path.
func (s *Store) CreateSection(ctx context.Context, sec *news.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	path, err := sectionPath(ctx, tx, sec.ParentID, sec.Slug)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO sections(parent_id, slug, path, name, description, position) VALUES (?, ?, ?, ?, ?, ?)`,
		nullID(sec.ParentID), sec.Slug, path, sec.Name, sec.Description, sec.Position)
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "a section at /%s already exists", path)
	}
	if err != nil {
		return fmt.Errorf("create section: %w", err)
	}
	sec.ID, _ = res.LastInsertId()
	sec.Path = path
	return tx.Commit()
}

// UpdateSection renames, re-slugs, moves or reorders a section; the paths
// of its whole subtree follow.
func (s *Store) UpdateSection(ctx context.Context, sec *news.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var oldPath string
	if err := tx.QueryRowContext(ctx, `SELECT path FROM sections WHERE id = ?`, sec.ID).Scan(&oldPath); err != nil {
		return notFoundOr(err, "section")
	}
	// A section cannot move under itself or its own descendants.
	for p := sec.ParentID; p != 0; {
		if p == sec.ID {
			return news.Invalid("parent", "a section cannot be moved under itself")
		}
		var next sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT parent_id FROM sections WHERE id = ?`, p).Scan(&next); err != nil {
			return notFoundOr(err, "parent section")
		}
		p = next.Int64
	}
	path, err := sectionPath(ctx, tx, sec.ParentID, sec.Slug)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE sections SET parent_id = ?, slug = ?, path = ?, name = ?, description = ?, position = ? WHERE id = ?`,
		nullID(sec.ParentID), sec.Slug, path, sec.Name, sec.Description, sec.Position, sec.ID)
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "a section at /%s already exists", path)
	}
	if err != nil {
		return fmt.Errorf("update section: %w", err)
	}
	if path != oldPath {
		if _, err := tx.ExecContext(ctx, `UPDATE sections SET path = ? || substr(path, ?) WHERE path LIKE ? ESCAPE '\'`,
			path, len(oldPath)+1, escapeLike(oldPath)+"/%"); err != nil {
			return fmt.Errorf("update section paths: %w", err)
		}
	}
	sec.Path = path
	return tx.Commit()
}

func sectionPath(ctx context.Context, tx *sql.Tx, parentID int64, slug string) (string, error) {
	if parentID == 0 {
		return slug, nil
	}
	var pp string
	if err := tx.QueryRowContext(ctx, `SELECT path FROM sections WHERE id = ?`, parentID).Scan(&pp); err != nil {
		return "", notFoundOr(err, "parent section")
	}
	return pp + "/" + slug, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
