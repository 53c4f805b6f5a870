package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"byline/internal/news"
)

const mediaCols = `id, path, mime, width, height, bytes, alt, caption, credit, uploaded_by, created_at, renditions`

func scanMedia(sc interface{ Scan(...any) error }) (news.Media, error) {
	var m news.Media
	var at int64
	var rend string
	if err := sc.Scan(&m.ID, &m.Path, &m.MIME, &m.Width, &m.Height, &m.Bytes, &m.Alt, &m.Caption, &m.Credit, &m.UploadedBy, &at, &rend); err != nil {
		return m, err
	}
	m.CreatedAt = time.UnixMilli(at).UTC()
	if err := json.Unmarshal([]byte(rend), &m.Renditions); err != nil {
		return m, fmt.Errorf("media %d renditions: %w", m.ID, err)
	}
	return m, nil
}

// CreateMedia records an uploaded image and sets its ID.
func (s *Store) CreateMedia(ctx context.Context, m *news.Media) error {
	if err := m.ValidateText(); err != nil {
		return err
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now().UTC()
	}
	if m.Renditions == nil {
		m.Renditions = []news.Rendition{}
	}
	rend, err := json.Marshal(m.Renditions)
	if err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO media(path, mime, width, height, bytes, alt, caption, credit, uploaded_by, created_at, renditions)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`, m.Path, m.MIME, m.Width, m.Height, m.Bytes, m.Alt, m.Caption, m.Credit, m.UploadedBy, m.CreatedAt.UnixMilli(), string(rend))
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "a media file at %s already exists", m.Path)
	}
	if err != nil {
		return fmt.Errorf("create media: %w", err)
	}
	m.ID, _ = res.LastInsertId()
	return nil
}

// MediaByID loads one media item.
func (s *Store) MediaByID(ctx context.Context, id int64) (news.Media, error) {
	m, err := scanMedia(s.r.QueryRowContext(ctx, `SELECT `+mediaCols+` FROM media WHERE id = ?`, id))
	return m, notFoundOr(err, "media")
}

// MediaByPath loads the item whose original is at path.
func (s *Store) MediaByPath(ctx context.Context, path string) (news.Media, error) {
	m, err := scanMedia(s.r.QueryRowContext(ctx, `SELECT `+mediaCols+` FROM media WHERE path = ?`, path))
	return m, notFoundOr(err, "media")
}

// ListMedia lists the library, newest first.
func (s *Store) ListMedia(ctx context.Context, q news.MediaQuery) ([]news.Media, int, error) {
	var w whereBuilder
	if q.Text != "" {
		like := "%" + escapeLike(q.Text) + "%"
		w.add(`(alt LIKE ? ESCAPE '\' OR caption LIKE ? ESCAPE '\' OR credit LIKE ? ESCAPE '\')`, like, like, like)
	}
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM media`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count media: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+mediaCols+` FROM media`+w.String()+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(w.args, clampLimit(q.Limit, 48, 500), max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list media: %w", err)
	}
	defer rows.Close()
	var out []news.Media
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

// UpdateMediaText saves alt text, caption and credit.
func (s *Store) UpdateMediaText(ctx context.Context, m *news.Media) error {
	if err := m.ValidateText(); err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE media SET alt = ?, caption = ?, credit = ? WHERE id = ?`, m.Alt, m.Caption, m.Credit, m.ID)
	if err != nil {
		return fmt.Errorf("update media: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("media")
	}
	return nil
}

var _ news.MediaStore = (*Store)(nil)
