package pgstore

import (
	"context"
	"fmt"

	"byline/internal/news"

	"github.com/jackc/pgx/v5"
)

// sectionLock serialises changes to the section tree. A section's path is
// derived from its parent's, and a move rewrites the paths of a whole
// subtree: two such writes in parallel (from two servers) could leave a
// stale path behind. SQLite gets this for free from its single writer;
// here a transaction-scoped advisory lock does it. Section writes are rare.
const sectionLock int64 = 0x62796c696e6501

// ListSections returns the whole tree, parents before children, each
// level in position order.
func (s *Store) ListSections(ctx context.Context) ([]news.Section, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, COALESCE(parent_id, 0), slug, path, name, description, position FROM sections`)
	if err != nil {
		return nil, fmt.Errorf("list sections: %w", err)
	}
	all, err := collect(rows, func(r pgx.CollectableRow) (news.Section, error) {
		var sec news.Section
		err := r.Scan(&sec.ID, &sec.ParentID, &sec.Slug, &sec.Path, &sec.Name, &sec.Description, &sec.Position)
		return sec, err
	})
	if err != nil {
		return nil, fmt.Errorf("list sections: %w", err)
	}
	return news.OrderSections(all), nil
}

// CreateSection inserts a section under s.ParentID and sets its ID and Path.
func (s *Store) CreateSection(ctx context.Context, sec *news.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	var id int64
	var path string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, sectionLock); err != nil {
			return err
		}
		var err error
		if path, err = sectionPath(ctx, tx, sec.ParentID, sec.Slug); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO sections(parent_id, slug, path, name, description, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			nullID(sec.ParentID), sec.Slug, path, sec.Name, sec.Description, sec.Position).Scan(&id)
		if isUnique(err) {
			return news.Errorf(news.KindConflict, "a section at /%s already exists", path)
		}
		if err != nil {
			return fmt.Errorf("create section: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sec.ID, sec.Path = id, path
	return nil
}

// UpdateSection renames, re-slugs, moves or reorders a section; the paths
// of its whole subtree follow.
func (s *Store) UpdateSection(ctx context.Context, sec *news.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	var path string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, sectionLock); err != nil {
			return err
		}
		var oldPath string
		if err := tx.QueryRow(ctx, `SELECT path FROM sections WHERE id = $1`, sec.ID).Scan(&oldPath); err != nil {
			return notFoundOr(err, "section")
		}
		// A section cannot move under itself or its own descendants.
		for p := sec.ParentID; p != 0; {
			if p == sec.ID {
				return news.Invalid("parent", "a section cannot be moved under itself")
			}
			var next *int64
			if err := tx.QueryRow(ctx, `SELECT parent_id FROM sections WHERE id = $1`, p).Scan(&next); err != nil {
				return notFoundOr(err, "parent section")
			}
			p = 0
			if next != nil {
				p = *next
			}
		}
		var err error
		if path, err = sectionPath(ctx, tx, sec.ParentID, sec.Slug); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE sections SET parent_id = $1, slug = $2, path = $3, name = $4, description = $5, position = $6 WHERE id = $7`,
			nullID(sec.ParentID), sec.Slug, path, sec.Name, sec.Description, sec.Position, sec.ID)
		if isUnique(err) {
			return news.Errorf(news.KindConflict, "a section at /%s already exists", path)
		}
		if err != nil {
			return fmt.Errorf("update section: %w", err)
		}
		if path != oldPath {
			// starts_with needs no escaping of LIKE's wildcards.
			if _, err := tx.Exec(ctx, `UPDATE sections SET path = $1 || substr(path, char_length($2) + 1) WHERE starts_with(path, $2 || '/')`,
				path, oldPath); err != nil {
				if isUnique(err) {
					return news.Errorf(news.KindConflict, "moving /%s to /%s would collide with an existing section", oldPath, path)
				}
				return fmt.Errorf("update section paths: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	sec.Path = path
	return nil
}

func sectionPath(ctx context.Context, tx pgx.Tx, parentID int64, slug string) (string, error) {
	if parentID == 0 {
		return slug, nil
	}
	var pp string
	if err := tx.QueryRow(ctx, `SELECT path FROM sections WHERE id = $1`, parentID).Scan(&pp); err != nil {
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
