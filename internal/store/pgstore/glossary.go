package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"

	"github.com/jackc/pgx/v5"
)

const glossaryCols = `id, term, display, definition, pos, korean, note, links, updated_at, updated_by`

func scanGlossary(r pgx.Row) (news.GlossaryEntry, error) {
	var e news.GlossaryEntry
	var links string
	if err := r.Scan(&e.ID, &e.Term, &e.Display, &e.Definition, &e.POS, &e.Korean, &e.Note, &links, &e.UpdatedAt, &e.UpdatedBy); err != nil {
		return e, err
	}
	e.UpdatedAt = e.UpdatedAt.UTC()
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

func bumpDictionaryVersion(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `UPDATE dictionary_version SET version = version + 1 WHERE id = 1`)
	return err
}

// ListGlossary returns every glossary entry by term.
func (s *Store) ListGlossary(ctx context.Context) ([]news.GlossaryEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+glossaryCols+` FROM glossary ORDER BY term COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("list glossary: %w", err)
	}
	out, err := collect(rows, func(r pgx.CollectableRow) (news.GlossaryEntry, error) { return scanGlossary(r) })
	if err != nil {
		return nil, fmt.Errorf("list glossary: %w", err)
	}
	return out, nil
}

// GlossaryEntryByID loads one entry.
func (s *Store) GlossaryEntryByID(ctx context.Context, id int64) (news.GlossaryEntry, error) {
	e, err := scanGlossary(s.pool.QueryRow(ctx, `SELECT `+glossaryCols+` FROM glossary WHERE id = $1`, id))
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
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if e.ID == 0 {
			err := tx.QueryRow(ctx, `INSERT INTO glossary(term, display, definition, pos, korean, note, links, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
				e.Term, e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), ts(e.UpdatedAt), e.UpdatedBy).Scan(&e.ID)
			if isUnique(err) {
				return news.Errorf(news.KindConflict, "the glossary already has an entry for %q", e.Display)
			}
			if err != nil {
				return fmt.Errorf("create glossary entry: %w", err)
			}
		} else {
			tag, err := tx.Exec(ctx, `UPDATE glossary SET term = $1, display = $2, definition = $3, pos = $4, korean = $5, note = $6, links = $7, updated_at = $8, updated_by = $9 WHERE id = $10`,
				e.Term, e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), ts(e.UpdatedAt), e.UpdatedBy, e.ID)
			if isUnique(err) {
				return news.Errorf(news.KindConflict, "the glossary already has another entry for %q", e.Display)
			}
			if err != nil {
				return fmt.Errorf("update glossary entry: %w", err)
			}
			if tag.RowsAffected() == 0 {
				return news.NotFound("glossary entry")
			}
		}
		return bumpDictionaryVersion(ctx, tx)
	})
}

// DeleteGlossaryEntry removes an entry.
func (s *Store) DeleteGlossaryEntry(ctx context.Context, id int64) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM glossary WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("delete glossary entry: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return news.NotFound("glossary entry")
		}
		return bumpDictionaryVersion(ctx, tx)
	})
}

// ImportGlossary creates or replaces entries by term, all in one
// transaction.
func (s *Store) ImportGlossary(ctx context.Context, entries []news.GlossaryEntry, by string) (int, error) {
	for i := range entries {
		if err := entries[i].Validate(); err != nil {
			return 0, err
		}
	}
	now := ts(time.Now())
	created := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		created = 0
		for _, e := range entries {
			var inserted bool
			err := tx.QueryRow(ctx, `INSERT INTO glossary(term, display, definition, pos, korean, note, links, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
				ON CONFLICT (term) DO UPDATE SET display = excluded.display, definition = excluded.definition, pos = excluded.pos, korean = excluded.korean,
				note = excluded.note, links = excluded.links, updated_at = excluded.updated_at, updated_by = excluded.updated_by
				RETURNING (xmax = 0)`, e.Term, e.Display, e.Definition, e.POS, e.Korean, e.Note, linksJSON(e.Links), now, by).Scan(&inserted)
			if err != nil {
				return fmt.Errorf("import glossary: %w", err)
			}
			if inserted {
				created++
			}
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
func (s *Store) GlossaryVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.pool.QueryRow(ctx, `SELECT version FROM dictionary_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("glossary version: %w", err)
	}
	return v, nil
}

// ReplaceBilingual loads entries as the dictionary name, replacing one of
// that name, in one transaction (rows are copied in with COPY).
func (s *Store) ReplaceBilingual(ctx context.Context, name string, entries []news.BilingualEntry) error {
	if err := news.ValidDictionaryName(name); err != nil {
		return err
	}
	rows := make([][]any, 0, len(entries))
	for _, e := range entries {
		key := news.GlossaryKey(e.Headword)
		if key == "" || strings.TrimSpace(e.Translation) == "" {
			continue
		}
		rows = append(rows, []any{name, key, e.Headword, e.Translation, e.Note})
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM bilingual_entries WHERE dictionary = $1`, name); err != nil {
			return fmt.Errorf("replace dictionary: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO bilingual_dictionaries(name, entries, imported_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET entries = excluded.entries, imported_at = excluded.imported_at`, name, len(rows), ts(time.Now())); err != nil {
			return fmt.Errorf("replace dictionary: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"bilingual_entries"}, []string{"dictionary", "key", "headword", "translation", "note"}, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("replace dictionary: %w", err)
		}
		return bumpDictionaryVersion(ctx, tx)
	})
}

// ListBilingual lists the bilingual dictionaries by name.
func (s *Store) ListBilingual(ctx context.Context) ([]news.BilingualDictionary, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, entries, imported_at FROM bilingual_dictionaries ORDER BY name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("list dictionaries: %w", err)
	}
	out, err := collect(rows, func(r pgx.CollectableRow) (news.BilingualDictionary, error) {
		var d news.BilingualDictionary
		err := r.Scan(&d.Name, &d.Entries, &d.ImportedAt)
		d.ImportedAt = d.ImportedAt.UTC()
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("list dictionaries: %w", err)
	}
	return out, nil
}

// RemoveBilingual deletes a bilingual dictionary and its entries.
func (s *Store) RemoveBilingual(ctx context.Context, name string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM bilingual_entries WHERE dictionary = $1`, name); err != nil {
			return fmt.Errorf("remove dictionary: %w", err)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM bilingual_dictionaries WHERE name = $1`, name)
		if err != nil {
			return fmt.Errorf("remove dictionary: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return news.NotFound("dictionary " + name)
		}
		return bumpDictionaryVersion(ctx, tx)
	})
}

// BilingualLookup finds the entries whose folded headword is one of keys,
// in the order of keys, then by dictionary name and file order.
func (s *Store) BilingualLookup(ctx context.Context, keys []string, limit int) ([]news.BilingualEntry, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	if len(keys) > 32 {
		keys = keys[:32]
	}
	rows, err := s.pool.Query(ctx, `SELECT e.dictionary, e.headword, e.translation, e.note
		FROM bilingual_entries e JOIN unnest($1::text[]) WITH ORDINALITY AS k(key, n) ON e.key = k.key
		ORDER BY k.n, e.dictionary COLLATE "C", e.id LIMIT $2`, keys, clampLimit(limit, 10, 100))
	if err != nil {
		return nil, fmt.Errorf("bilingual lookup: %w", err)
	}
	out, err := collect(rows, func(r pgx.CollectableRow) (news.BilingualEntry, error) {
		var e news.BilingualEntry
		err := r.Scan(&e.Dictionary, &e.Headword, &e.Translation, &e.Note)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("bilingual lookup: %w", err)
	}
	return out, nil
}

var _ news.GlossaryStore = (*Store)(nil)
