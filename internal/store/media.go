package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"byline/internal/news"
)

// The renditions are JSON text in SQLite and jsonb in PostgreSQL.
const mediaCols = `id, path, mime, width, height, bytes, alt, caption, credit, uploaded_by, created_at, CAST(renditions AS TEXT)`

func scanMedia(sc interface{ Scan(...any) error }) (news.Media, error) {
	var m news.Media
	var rend string
	if err := sc.Scan(&m.ID, &m.Path, &m.MIME, &m.Width, &m.Height, &m.Bytes, &m.Alt, &m.Caption, &m.Credit, &m.UploadedBy, Time(&m.CreatedAt), &rend); err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(rend), &m.Renditions); err != nil {
		return m, fmt.Errorf("media %d renditions: %w", m.ID, err)
	}
	return m, nil
}

// CreateMedia records an uploaded image and sets its ID.
func (db *DB) CreateMedia(ctx context.Context, m *news.Media) error {
	if err := m.ValidateText(); err != nil {
		return err
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = now()
	}
	if m.Renditions == nil {
		m.Renditions = []news.Rendition{}
	}
	rend, err := json.Marshal(m.Renditions)
	if err != nil {
		return err
	}
	id, err := db.Insert(ctx, `INSERT INTO media(path, mime, width, height, bytes, alt, caption, credit, uploaded_by, created_at, renditions)
		VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		m.Path, m.MIME, m.Width, m.Height, m.Bytes, m.Alt, m.Caption, m.Credit, m.UploadedBy, m.CreatedAt, string(rend))
	if db.isUnique(err) {
		return news.Errorf(news.KindConflict, "a media file at %s already exists", m.Path)
	}
	if err != nil {
		return fmt.Errorf("create media: %w", err)
	}
	m.ID = id
	return nil
}

// MediaByID loads one media item.
func (db *DB) MediaByID(ctx context.Context, id int64) (news.Media, error) {
	m, err := scanMedia(db.QueryRow(ctx, `SELECT `+mediaCols+` FROM media WHERE id = ?`, id))
	return m, notFoundOr(err, "media")
}

// MediaByPath loads the item whose original is at path.
func (db *DB) MediaByPath(ctx context.Context, path string) (news.Media, error) {
	m, err := scanMedia(db.QueryRow(ctx, `SELECT `+mediaCols+` FROM media WHERE path = ?`, path))
	return m, notFoundOr(err, "media")
}

// escapeLike protects LIKE's wildcards in text searched for.
var escapeLike = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace

func clampLimit(n, def, most int) int {
	if n <= 0 {
		return def
	}
	return min(n, most)
}

// ListMedia lists the library, newest first. ILIKE is SQLite's LIKE
// (case-insensitive for ASCII); the dialect spells it.
func (db *DB) ListMedia(ctx context.Context, q news.MediaQuery) ([]news.Media, int, error) {
	cond := ""
	var args []any
	if q.Text != "" {
		like := "%" + escapeLike(q.Text) + "%"
		cond = ` WHERE (alt ILIKE ? ESCAPE '\' OR caption ILIKE ? ESCAPE '\' OR credit ILIKE ? ESCAPE '\')`
		args = []any{like, like, like}
	}
	var total int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM media`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count media: %w", err)
	}
	rows, err := db.Query(ctx, `SELECT `+mediaCols+` FROM media`+cond+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, clampLimit(q.Limit, 48, 500), max(q.Offset, 0))...)
	out, err := collect(rows, err, func(r *sql.Rows) (news.Media, error) { return scanMedia(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("list media: %w", err)
	}
	return out, total, nil
}

// UpdateMediaText saves alt text, caption and credit.
func (db *DB) UpdateMediaText(ctx context.Context, m *news.Media) error {
	if err := m.ValidateText(); err != nil {
		return err
	}
	res, err := db.Exec(ctx, `UPDATE media SET alt = ?, caption = ?, credit = ? WHERE id = ?`, m.Alt, m.Caption, m.Credit, m.ID)
	if err != nil {
		return fmt.Errorf("update media: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("media")
	}
	return nil
}
