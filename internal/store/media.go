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
	cond, args := mediaFilter(q)
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

// mediaFilter is the WHERE clause of a library query.
func mediaFilter(q news.MediaQuery) (string, []any) {
	var conds []string
	var args []any
	like := func(s string) string { return "%" + escapeLike(s) + "%" }
	if q.Text != "" {
		l := like(q.Text)
		conds = append(conds, `(alt ILIKE ? ESCAPE '\' OR caption ILIKE ? ESCAPE '\' OR credit ILIKE ? ESCAPE '\')`)
		args = append(args, l, l, l)
	}
	if q.Caption != "" {
		conds = append(conds, `caption ILIKE ? ESCAPE '\'`)
		args = append(args, like(q.Caption))
	}
	if q.Credit != "" {
		conds = append(conds, `credit ILIKE ? ESCAPE '\'`)
		args = append(args, like(q.Credit))
	}
	switch {
	case q.UploadedBy > 0:
		conds = append(conds, `uploaded_by = ?`)
		args = append(args, q.UploadedBy)
	case q.UploadedBy < 0:
		conds = append(conds, `uploaded_by = 0`)
	}
	if !q.From.IsZero() {
		conds = append(conds, `created_at >= ?`)
		args = append(args, q.From)
	}
	if !q.Until.IsZero() {
		conds = append(conds, `created_at < ?`)
		args = append(args, q.Until)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// querier is what a transaction and the database both offer.
type querier interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// usageCond selects the articles whose lead image is one of m's files or
// whose body links to one. File names are random, so a link's text is
// found as is.
func usageCond(m news.Media) (string, []any) {
	var conds []string
	var args []any
	for _, f := range m.Files() {
		u := news.MediaURL(f)
		conds = append(conds, `image_url = ?`, `body LIKE ? ESCAPE '\'`)
		args = append(args, u, "%"+escapeLike(u)+"%")
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

func mediaUsage(ctx context.Context, q querier, m news.Media) ([]news.MediaUse, error) {
	cond, args := usageCond(m)
	rows, err := q.Query(ctx, `SELECT id, headline, status FROM articles WHERE `+cond+` ORDER BY id`, args...)
	out, err := collect(rows, err, func(r *sql.Rows) (news.MediaUse, error) {
		var u news.MediaUse
		err := r.Scan(&u.ArticleID, &u.Headline, &u.Status)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("media usage: %w", err)
	}
	// Drafts of changes keep the article as JSON: the URL is in it as is.
	var likes []string
	var largs []any
	for _, f := range m.Files() {
		likes = append(likes, `p.snapshot LIKE ? ESCAPE '\'`)
		largs = append(largs, "%"+escapeLike(news.MediaURL(f))+"%")
	}
	rows, err = q.Query(ctx, `SELECT a.id, a.headline, a.status FROM pending_drafts p JOIN articles a ON a.id = p.article_id WHERE `+strings.Join(likes, " OR ")+` ORDER BY a.id`, largs...)
	pending, err := collect(rows, err, func(r *sql.Rows) (news.MediaUse, error) {
		u := news.MediaUse{Pending: true}
		err := r.Scan(&u.ArticleID, &u.Headline, &u.Status)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("media usage in drafts of changes: %w", err)
	}
	out = append(out, pending...)
	rows, err = q.Query(ctx, `SELECT DISTINCT s.id, s.title FROM story_entries e JOIN stories s ON s.id = e.story_id WHERE `+
		strings.ReplaceAll(strings.ReplaceAll(cond, "image_url", "e.image_url"), "body", "e.body")+` ORDER BY s.id`, args...)
	stories, err := collect(rows, err, func(r *sql.Rows) (news.MediaUse, error) {
		var u news.MediaUse
		err := r.Scan(&u.StoryID, &u.Headline)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("media usage in live stories: %w", err)
	}
	return append(out, stories...), nil
}

// MediaUsage lists the articles that show m.
func (db *DB) MediaUsage(ctx context.Context, m news.Media) ([]news.MediaUse, error) {
	return mediaUsage(ctx, db, m)
}

// DeleteMedia removes an unused item's record (and the redirects to its
// files) and returns it; the caller removes the files after the commit.
func (db *DB) DeleteMedia(ctx context.Context, id int64) (news.Media, error) {
	var m news.Media
	err := db.InTx(ctx, func(tx Tx) error {
		var err error
		m, err = scanMedia(tx.QueryRow(ctx, `SELECT `+mediaCols+` FROM media WHERE id = ?`, id))
		if err != nil {
			return notFoundOr(err, "media")
		}
		uses, err := mediaUsage(ctx, tx, m)
		if err != nil {
			return err
		}
		if len(uses) > 0 {
			in := &news.MediaInUse{Uses: uses}
			return &news.Error{Kind: news.KindConflict, Message: in.Error(), Err: in}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM media_redirects WHERE media_id = ?`, id); err != nil {
			return fmt.Errorf("delete media redirects: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM media WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete media: %w", err)
		}
		return nil
	})
	return m, err
}

// successor is the new file that takes the place of an old rendition:
// the narrowest new one at least as wide, else the new original.
func successor(old news.Rendition, f news.MediaFiles) string {
	for _, r := range f.Renditions {
		if r.Width >= old.Width {
			return r.Path
		}
	}
	return f.Path
}

// ReplaceMedia gives item id new files (see news.MediaStore).
func (db *DB) ReplaceMedia(ctx context.Context, id int64, f news.MediaFiles) (news.Media, []int64, error) {
	if f.Renditions == nil {
		f.Renditions = []news.Rendition{}
	}
	rend, err := json.Marshal(f.Renditions)
	if err != nil {
		return news.Media{}, nil, err
	}
	var old news.Media
	var changed []int64
	err = db.InTx(ctx, func(tx Tx) error {
		var err error
		old, err = scanMedia(tx.QueryRow(ctx, `SELECT `+mediaCols+` FROM media WHERE id = ?`, id))
		if err != nil {
			return notFoundOr(err, "media")
		}
		nm := old
		nm.Path, nm.MIME, nm.Width, nm.Height, nm.Bytes, nm.Renditions = f.Path, f.MIME, f.Width, f.Height, f.Bytes, f.Renditions
		_, err = tx.Exec(ctx, `UPDATE media SET path = ?, mime = ?, width = ?, height = ?, bytes = ?, renditions = ? WHERE id = ?`,
			f.Path, f.MIME, f.Width, f.Height, f.Bytes, string(rend), id)
		if db.isUnique(err) {
			return news.Errorf(news.KindConflict, "a media file at %s already exists", f.Path)
		}
		if err != nil {
			return fmt.Errorf("replace media: %w", err)
		}
		cond, args := usageCond(old)
		rows, err := tx.Query(ctx, `SELECT id FROM articles WHERE `+cond+` ORDER BY id`, args...)
		changed, err = collect(rows, err, func(r *sql.Rows) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil {
			return fmt.Errorf("replace media: %w", err)
		}
		moves := [][2]string{{old.Path, f.Path}}
		for _, r := range old.Renditions {
			moves = append(moves, [2]string{r.Path, successor(r, f)})
		}
		img := nm.Image()
		now := now()
		if _, err := tx.Exec(ctx, `UPDATE articles SET image_url = ?, image_width = ?, image_height = ?, image_srcset = ?, modified_at = ? WHERE image_url = ?`,
			img.URL, img.Width, img.Height, img.SrcSet, now, old.URL()); err != nil {
			return fmt.Errorf("replace media in articles: %w", err)
		}
		for _, mv := range moves {
			from, to := news.MediaURL(mv[0]), news.MediaURL(mv[1])
			if _, err := tx.Exec(ctx, `UPDATE articles SET image_url = ?, modified_at = ? WHERE image_url = ?`, to, now, from); err != nil {
				return fmt.Errorf("replace media in articles: %w", err)
			}
			if _, err := tx.Exec(ctx, `UPDATE articles SET body = replace(body, ?, ?), modified_at = ? WHERE body LIKE ? ESCAPE '\'`,
				from, to, now, "%"+escapeLike(from)+"%"); err != nil {
				return fmt.Errorf("replace media in articles: %w", err)
			}
			// Older names already sent to this file follow it.
			if _, err := tx.Exec(ctx, `UPDATE media_redirects SET target = ? WHERE target = ?`, mv[1], mv[0]); err != nil {
				return fmt.Errorf("media redirects: %w", err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO media_redirects(path, target, media_id) VALUES (?,?,?)`, mv[0], mv[1], id); err != nil {
				return fmt.Errorf("media redirects: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return news.Media{}, nil, err
	}
	return old, changed, nil
}

// MediaRedirect is the file that replaced the one at path.
func (db *DB) MediaRedirect(ctx context.Context, path string) (string, error) {
	var target string
	err := db.QueryRow(ctx, `SELECT target FROM media_redirects WHERE path = ?`, path).Scan(&target)
	return target, notFoundOr(err, "media")
}

// SetMediaRenditions gives an item stored without renditions the ones
// made for it later (see news.MediaStore).
func (db *DB) SetMediaRenditions(ctx context.Context, id int64, rs []news.Rendition) ([]int64, error) {
	if len(rs) == 0 {
		return nil, news.Errorf(news.KindInvalid, "no renditions to record")
	}
	rend, err := json.Marshal(rs)
	if err != nil {
		return nil, err
	}
	var changed []int64
	err = db.InTx(ctx, func(tx Tx) error {
		m, err := scanMedia(tx.QueryRow(ctx, `SELECT `+mediaCols+` FROM media WHERE id = ?`, id))
		if err != nil {
			return notFoundOr(err, "media")
		}
		if len(m.Renditions) > 0 {
			return news.Errorf(news.KindConflict, "media %d already has renditions", id)
		}
		// Only over none: of two servers that made them at once, the
		// first to commit wins and the other removes its files.
		res, err := tx.Exec(ctx, `UPDATE media SET renditions = ? WHERE id = ? AND CAST(renditions AS TEXT) = '[]'`, string(rend), id)
		if err != nil {
			return fmt.Errorf("media renditions: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.Errorf(news.KindConflict, "media %d already has renditions", id)
		}
		m.Renditions = rs
		img := m.Image()
		rows, err := tx.Query(ctx, `SELECT id FROM articles WHERE image_url = ? AND image_srcset = '' ORDER BY id`, img.URL)
		changed, err = collect(rows, err, func(r *sql.Rows) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil {
			return fmt.Errorf("media renditions: %w", err)
		}
		// Not a change of content: modified_at stays.
		if _, err := tx.Exec(ctx, `UPDATE articles SET image_srcset = ? WHERE image_url = ? AND image_srcset = ''`,
			img.SrcSet, img.URL); err != nil {
			return fmt.Errorf("media renditions in articles: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changed, nil
}
