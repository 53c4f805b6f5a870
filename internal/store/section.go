package store

import (
	"context"
	"database/sql"
	"fmt"
	"unicode/utf8"

	"byline/internal/news"
)

// sectionLock serialises changes to the section tree. A section's path is
// derived from its parent's, and a move rewrites the paths of a whole
// subtree: two such writes in parallel (from two servers) could leave a
// stale path behind. Section writes are rare.
const sectionLock int64 = 0x62796c696e6501

// ListSections returns the whole tree, parents before children, each
// level in position order.
func (db *DB) ListSections(ctx context.Context) ([]news.Section, error) {
	rows, err := db.Query(ctx, `SELECT id, COALESCE(parent_id, 0), slug, path, name, description, position FROM sections`)
	all, err := collect(rows, err, func(r *sql.Rows) (news.Section, error) {
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
func (db *DB) CreateSection(ctx context.Context, sec *news.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx, sectionLock); err != nil {
			return err
		}
		path, err := sectionPath(ctx, tx, sec.ParentID, sec.Slug)
		if err != nil {
			return err
		}
		id, err := tx.Insert(ctx, `INSERT INTO sections(parent_id, slug, path, name, description, position) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			nullID(sec.ParentID), sec.Slug, path, sec.Name, sec.Description, sec.Position)
		if db.isUnique(err) {
			return news.Errorf(news.KindConflict, "a section at /%s already exists", path)
		}
		if err != nil {
			return fmt.Errorf("create section: %w", err)
		}
		sec.ID, sec.Path = id, path
		return nil
	})
}

// UpdateSection renames, re-slugs, moves or reorders a section; the paths
// of its whole subtree follow.
func (db *DB) UpdateSection(ctx context.Context, sec *news.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx, sectionLock); err != nil {
			return err
		}
		var oldPath, oldName string
		if err := tx.QueryRow(ctx, `SELECT path, name FROM sections WHERE id = ?`, sec.ID).Scan(&oldPath, &oldName); err != nil {
			return notFoundOr(err, "section")
		}
		// A section cannot move under itself or its own descendants.
		for p := sec.ParentID; p != 0; {
			if p == sec.ID {
				return news.Invalid("parent", "a section cannot be moved under itself")
			}
			var next sql.NullInt64
			if err := tx.QueryRow(ctx, `SELECT parent_id FROM sections WHERE id = ?`, p).Scan(&next); err != nil {
				return notFoundOr(err, "parent section")
			}
			p = next.Int64
		}
		path, err := sectionPath(ctx, tx, sec.ParentID, sec.Slug)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE sections SET parent_id = ?, slug = ?, path = ?, name = ?, description = ?, position = ? WHERE id = ?`,
			nullID(sec.ParentID), sec.Slug, path, sec.Name, sec.Description, sec.Position, sec.ID)
		if db.isUnique(err) {
			return news.Errorf(news.KindConflict, "a section at /%s already exists", path)
		}
		if err != nil {
			return fmt.Errorf("update section: %w", err)
		}
		if path != oldPath {
			// Comparing a prefix by substr needs no escaping of LIKE's
			// wildcards; both engines count characters.
			n := utf8.RuneCountInString(oldPath) + 1
			if _, err := tx.Exec(ctx, `UPDATE sections SET path = ? || substr(path, ?) WHERE substr(path, 1, ?) = ?`,
				path, n, n, oldPath+"/"); err != nil {
				if db.isUnique(err) {
					return news.Errorf(news.KindConflict, "moving /%s to /%s would collide with an existing section", oldPath, path)
				}
				return fmt.Errorf("update section paths: %w", err)
			}
		}
		if sec.Name != oldName {
			// Articles are found by their section's name.
			if _, err := tx.Exec(ctx, reindexSectionSQL, sec.ID); err != nil {
				return fmt.Errorf("update section: reindex articles: %w", err)
			}
		}
		sec.Path = path
		return nil
	})
}

func sectionPath(ctx context.Context, tx Tx, parentID int64, slug string) (string, error) {
	if parentID == 0 {
		return slug, nil
	}
	var pp string
	if err := tx.QueryRow(ctx, `SELECT path FROM sections WHERE id = ?`, parentID).Scan(&pp); err != nil {
		return "", notFoundOr(err, "parent section")
	}
	return pp + "/" + slug, nil
}
