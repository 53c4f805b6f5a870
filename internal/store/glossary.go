package store

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
	var links string
	if err := sc.Scan(&e.ID, &e.Term, &e.Display, &e.Definition, &e.POS, &e.Korean, &e.Note, &links, Time(&e.UpdatedAt), &e.UpdatedBy); err != nil {
		return e, err
	}
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
func bumpDictionaryVersion(ctx context.Context, tx Tx) error {
	_, err := tx.Exec(ctx, `UPDATE dictionary_version SET version = version + 1 WHERE id = 1`)
	return err
}

// ListGlossary returns every glossary entry by term.
func (db *DB) ListGlossary(ctx context.Context) ([]news.GlossaryEntry, error) {
	rows, err := db.Query(ctx, `SELECT `+glossaryCols+` FROM glossary ORDER BY term COLLATE "C"`)
	out, err := collect(rows, err, func(r *sql.Rows) (news.GlossaryEntry, error) { return scanGlossary(r) })
	if err != nil {
		return nil, fmt.Errorf("list glossary: %w", err)
	}
	return out, nil
}

// GlossaryEntryByID loads one entry.
func (db *DB) GlossaryEntryByID(ctx context.Context, id int64) (news.GlossaryEntry, error) {
	e, err := scanGlossary(db.QueryRow(ctx, `SELECT `+glossaryCols+` FROM glossary WHERE id = ?`, id))
	return e, notFoundOr(err, "glossary entry")
}

const insertGlossarySQL = `INSERT INTO glossary(term, display, definition, pos, korean, note, links, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id`

// SaveGlossaryEntry creates (ID 0) or updates an entry.
func (db *DB) SaveGlossaryEntry(ctx context.Context, e *news.GlossaryEntry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if e.UpdatedAt.IsZero() {
		e.UpdatedAt = time.Now().UTC()
	}
	return db.InTx(ctx, func(tx Tx) error {
		if e.ID == 0 {
			id, err := tx.Insert(ctx, insertGlossarySQL,
				e.Term, e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), e.UpdatedAt, e.UpdatedBy)
			if db.isUnique(err) {
				return news.Errorf(news.KindConflict, "the glossary already has an entry for %q", e.Display)
			}
			if err != nil {
				return fmt.Errorf("create glossary entry: %w", err)
			}
			e.ID = id
		} else {
			res, err := tx.Exec(ctx, `UPDATE glossary SET term = ?, display = ?, definition = ?, pos = ?, korean = ?, note = ?, links = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
				e.Term, e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), e.UpdatedAt, e.UpdatedBy, e.ID)
			if db.isUnique(err) {
				return news.Errorf(news.KindConflict, "the glossary already has another entry for %q", e.Display)
			}
			if err != nil {
				return fmt.Errorf("update glossary entry: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return news.NotFound("glossary entry")
			}
		}
		return bumpDictionaryVersion(ctx, tx)
	})
}

// DeleteGlossaryEntry removes an entry.
func (db *DB) DeleteGlossaryEntry(ctx context.Context, id int64) error {
	return db.InTx(ctx, func(tx Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM glossary WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete glossary entry: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.NotFound("glossary entry")
		}
		return bumpDictionaryVersion(ctx, tx)
	})
}

// ImportGlossary creates or replaces entries by term, all in one
// transaction.
func (db *DB) ImportGlossary(ctx context.Context, entries []news.GlossaryEntry, by string) (int, error) {
	for i := range entries {
		if err := entries[i].Validate(); err != nil {
			return 0, err
		}
	}
	now := time.Now()
	created := 0
	err := db.InTx(ctx, func(tx Tx) error {
		created = 0
		for _, e := range entries {
			res, err := tx.Exec(ctx, `UPDATE glossary SET display = ?, definition = ?, pos = ?, korean = ?, note = ?, links = ?, updated_at = ?, updated_by = ? WHERE term = ?`,
				e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), now, by, e.Term)
			if err != nil {
				return fmt.Errorf("import glossary: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				continue
			}
			if _, err := tx.Insert(ctx, insertGlossarySQL,
				e.Term, e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), now, by); err != nil {
				return fmt.Errorf("import glossary: %w", err)
			}
			created++
		}
		return bumpDictionaryVersion(ctx, tx)
	})
	if err != nil {
		return 0, err
	}
	return created, nil
}

// GlossaryVersion is bumped by every change of the glossary or of a
// bilingual dictionary.
func (db *DB) GlossaryVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.QueryRow(ctx, `SELECT version FROM dictionary_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("glossary version: %w", err)
	}
	return v, nil
}

// bilingualBatch is how many entries one INSERT carries (five arguments
// each, well under both engines' limits on arguments).
const bilingualBatch = 200

// ReplaceBilingual loads entries as the dictionary name, replacing one of
// that name, in one transaction. Rows go in by batches of many rows per
// INSERT, in file order.
func (db *DB) ReplaceBilingual(ctx context.Context, name string, entries []news.BilingualEntry) error {
	if err := news.ValidDictionaryName(name); err != nil {
		return err
	}
	rows := make([]any, 0, 5*len(entries))
	for _, e := range entries {
		key := news.GlossaryKey(e.Headword)
		if key == "" || strings.TrimSpace(e.Translation) == "" {
			continue
		}
		rows = append(rows, name, key, e.Headword, e.Translation, e.Note)
	}
	n := len(rows) / 5
	return db.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM bilingual_entries WHERE dictionary = ?`, name); err != nil {
			return fmt.Errorf("replace dictionary: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO bilingual_dictionaries(name, entries, imported_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET entries = excluded.entries, imported_at = excluded.imported_at`, name, n, time.Now()); err != nil {
			return fmt.Errorf("replace dictionary: %w", err)
		}
		for i := 0; i < n; i += bilingualBatch {
			k := min(bilingualBatch, n-i)
			q := `INSERT INTO bilingual_entries(dictionary, key, headword, translation, note) VALUES (?,?,?,?,?)` + strings.Repeat(`,(?,?,?,?,?)`, k-1)
			if _, err := tx.Exec(ctx, q, rows[5*i:5*(i+k)]...); err != nil {
				return fmt.Errorf("replace dictionary: %w", err)
			}
		}
		return bumpDictionaryVersion(ctx, tx)
	})
}

// ListBilingual lists the bilingual dictionaries by name.
func (db *DB) ListBilingual(ctx context.Context) ([]news.BilingualDictionary, error) {
	rows, err := db.Query(ctx, `SELECT name, entries, imported_at FROM bilingual_dictionaries ORDER BY name COLLATE "C"`)
	out, err := collect(rows, err, func(r *sql.Rows) (news.BilingualDictionary, error) {
		var d news.BilingualDictionary
		err := r.Scan(&d.Name, &d.Entries, Time(&d.ImportedAt))
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("list dictionaries: %w", err)
	}
	return out, nil
}

// RemoveBilingual deletes a bilingual dictionary and its entries.
func (db *DB) RemoveBilingual(ctx context.Context, name string) error {
	return db.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM bilingual_entries WHERE dictionary = ?`, name); err != nil {
			return fmt.Errorf("remove dictionary: %w", err)
		}
		res, err := tx.Exec(ctx, `DELETE FROM bilingual_dictionaries WHERE name = ?`, name)
		if err != nil {
			return fmt.Errorf("remove dictionary: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.NotFound("dictionary " + name)
		}
		return bumpDictionaryVersion(ctx, tx)
	})
}

// BilingualLookup finds the entries whose folded headword is one of keys,
// in the order of keys, then by dictionary name and file order.
func (db *DB) BilingualLookup(ctx context.Context, keys []string, limit int) ([]news.BilingualEntry, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	if len(keys) > 32 {
		keys = keys[:32]
	}
	args := make([]any, 0, 2*len(keys)+1)
	order := make([]string, 0, len(keys))
	for i, k := range keys {
		args = append(args, k)
		order = append(order, fmt.Sprintf("WHEN ? THEN %d", i))
	}
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, clampLimit(limit, 10, 100))
	rows, err := db.Query(ctx, `SELECT dictionary, headword, translation, note FROM bilingual_entries
		WHERE key IN (?`+strings.Repeat(",?", len(keys)-1)+`)
		ORDER BY CASE key `+strings.Join(order, " ")+` END, dictionary COLLATE "C", `+db.d.InsertOrder+` LIMIT ?`, args...)
	out, err := collect(rows, err, func(r *sql.Rows) (news.BilingualEntry, error) {
		var e news.BilingualEntry
		err := r.Scan(&e.Dictionary, &e.Headword, &e.Translation, &e.Note)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("bilingual lookup: %w", err)
	}
	return out, nil
}

var _ news.GlossaryStore = (*DB)(nil)
