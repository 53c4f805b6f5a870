package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

const glossaryCols = `id, term, display, definition, pos, korean, note, links, updated_at, updated_by`

func scanGlossary(sc interface{ Scan(...any) error }) (news.GlossaryEntry, error) {
	var e news.GlossaryEntry
	var at int64
	var links string
	if err := sc.Scan(&e.ID, &e.Term, &e.Display, &e.Definition, &e.POS, &e.Korean, &e.Note, &links, &at, &e.UpdatedBy); err != nil {
		return e, err
	}
	e.UpdatedAt = time.UnixMilli(at).UTC()
	if err := json.Unmarshal([]byte(links), &e.Links); err != nil {
		return e, fmt.Errorf("glossary %d links: %w", e.ID, err)
	}
	return e, nil
}

func linksJSON(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// bumpDictionaryVersion is called inside every transaction that changes
// the glossary or a bilingual dictionary.
func bumpDictionaryVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE dictionary_version SET version = version + 1 WHERE id = 1`)
	return err
}

// ListGlossary returns every glossary entry by term.
func (s *Store) ListGlossary(ctx context.Context) ([]news.GlossaryEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+glossaryCols+` FROM glossary ORDER BY term`)
	if err != nil {
		return nil, fmt.Errorf("list glossary: %w", err)
	}
	defer rows.Close()
	var out []news.GlossaryEntry
	for rows.Next() {
		e, err := scanGlossary(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// GlossaryEntryByID loads one entry.
func (s *Store) GlossaryEntryByID(ctx context.Context, id int64) (news.GlossaryEntry, error) {
	e, err := scanGlossary(s.r.QueryRowContext(ctx, `SELECT `+glossaryCols+` FROM glossary WHERE id = ?`, id))
	return e, notFoundOr(err, "glossary entry")
}

// SaveGlossaryEntry creates (ID 0) or updates an entry.
func (s *Store) SaveGlossaryEntry(ctx context.Context, e *news.GlossaryEntry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if e.UpdatedAt.IsZero() {
		e.UpdatedAt = time.Now().UTC()
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if e.ID == 0 {
		res, err := tx.ExecContext(ctx, `INSERT INTO glossary(term, display, definition, pos, korean, note, links, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?)`,
			e.Term, e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), e.UpdatedAt.UnixMilli(), e.UpdatedBy)
		if isUnique(err) {
			return news.Errorf(news.KindConflict, "the glossary already has an entry for %q", e.Display)
		}
		if err != nil {
			return fmt.Errorf("create glossary entry: %w", err)
		}
		e.ID, _ = res.LastInsertId()
	} else {
		res, err := tx.ExecContext(ctx, `UPDATE glossary SET term = ?, display = ?, definition = ?, pos = ?, korean = ?, note = ?, links = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			e.Term, e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), e.UpdatedAt.UnixMilli(), e.UpdatedBy, e.ID)
		if isUnique(err) {
			return news.Errorf(news.KindConflict, "the glossary already has another entry for %q", e.Display)
		}
		if err != nil {
			return fmt.Errorf("update glossary entry: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.NotFound("glossary entry")
		}
	}
	if err := bumpDictionaryVersion(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteGlossaryEntry removes an entry.
func (s *Store) DeleteGlossaryEntry(ctx context.Context, id int64) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM glossary WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete glossary entry: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("glossary entry")
	}
	if err := bumpDictionaryVersion(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// ImportGlossary creates or replaces entries by term, all in one
// transaction.
func (s *Store) ImportGlossary(ctx context.Context, entries []news.GlossaryEntry, by string) (int, error) {
	now := time.Now().UTC().UnixMilli()
	for i := range entries {
		if err := entries[i].Validate(); err != nil {
			return 0, err
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	created := 0
	for _, e := range entries {
		res, err := tx.ExecContext(ctx, `UPDATE glossary SET display = ?, definition = ?, pos = ?, korean = ?, note = ?, links = ?, updated_at = ?, updated_by = ? WHERE term = ?`,
			e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), now, by, e.Term)
		if err != nil {
			return 0, fmt.Errorf("import glossary: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO glossary(term, display, definition, pos, korean, note, links, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?)`,
			e.Term, e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), now, by); err != nil {
			return 0, fmt.Errorf("import glossary: %w", err)
		}
		created++
	}
	if err := bumpDictionaryVersion(ctx, tx); err != nil {
		return 0, err
	}
	return created, tx.Commit()
}

// GlossaryVersion is bumped by every change of the glossary or of a
// bilingual dictionary.
func (s *Store) GlossaryVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.r.QueryRowContext(ctx, `SELECT version FROM dictionary_version WHERE id = 1`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("glossary version: %w", err)
	}
	return v, nil
}

// ReplaceBilingual loads entries as the dictionary name, replacing one of
// that name, in one transaction.
func (s *Store) ReplaceBilingual(ctx context.Context, name string, entries []news.BilingualEntry) error {
	if err := news.ValidDictionaryName(name); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM bilingual_entries WHERE dictionary = ?`, name); err != nil {
		return fmt.Errorf("replace dictionary: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO bilingual_dictionaries(name, entries, imported_at) VALUES (?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET entries = excluded.entries, imported_at = excluded.imported_at`, name, len(entries), time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("replace dictionary: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO bilingual_entries(dictionary, key, headword, translation, note) VALUES (?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	n := 0
	for _, e := range entries {
		key := news.GlossaryKey(e.Headword)
		if key == "" || strings.TrimSpace(e.Translation) == "" {
			continue
		}
		if _, err := stmt.ExecContext(ctx, name, key, e.Headword, e.Translation, e.Note); err != nil {
			return fmt.Errorf("replace dictionary: %w", err)
		}
		n++
	}
	if _, err := tx.ExecContext(ctx, `UPDATE bilingual_dictionaries SET entries = ? WHERE name = ?`, n, name); err != nil {
		return fmt.Errorf("replace dictionary: %w", err)
	}
	if err := bumpDictionaryVersion(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// ListBilingual lists the bilingual dictionaries by name.
func (s *Store) ListBilingual(ctx context.Context) ([]news.BilingualDictionary, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, entries, imported_at FROM bilingual_dictionaries ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list dictionaries: %w", err)
	}
	defer rows.Close()
	var out []news.BilingualDictionary
	for rows.Next() {
		var d news.BilingualDictionary
		var at int64
		if err := rows.Scan(&d.Name, &d.Entries, &at); err != nil {
			return nil, err
		}
		d.ImportedAt = time.UnixMilli(at).UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// RemoveBilingual deletes a bilingual dictionary and its entries.
func (s *Store) RemoveBilingual(ctx context.Context, name string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM bilingual_entries WHERE dictionary = ?`, name); err != nil {
		return fmt.Errorf("remove dictionary: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM bilingual_dictionaries WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("remove dictionary: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("dictionary " + name)
	}
	if err := bumpDictionaryVersion(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// BilingualLookup finds the entries whose folded headword is one of keys.
func (s *Store) BilingualLookup(ctx context.Context, keys []string, limit int) ([]news.BilingualEntry, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	if len(keys) > 32 {
		keys = keys[:32]
	}
	args := make([]any, 0, len(keys)+1)
	order := make([]string, 0, len(keys))
	for i, k := range keys {
		args = append(args, k)
		order = append(order, fmt.Sprintf("WHEN ? THEN %d", i))
	}
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, clampLimit(limit, 10, 100))
	q := `SELECT dictionary, headword, translation, note FROM bilingual_entries WHERE key IN (?` + strings.Repeat(",?", len(keys)-1) + `)
		ORDER BY CASE key ` + strings.Join(order, " ") + ` END, dictionary, rowid LIMIT ?`
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("bilingual lookup: %w", err)
	}
	defer rows.Close()
	var out []news.BilingualEntry
	for rows.Next() {
		var e news.BilingualEntry
		if err := rows.Scan(&e.Dictionary, &e.Headword, &e.Translation, &e.Note); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

var _ news.GlossaryStore = (*Store)(nil)
