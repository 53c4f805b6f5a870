package media

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"byline/internal/news"
	"byline/internal/respond"
)

// Handlers serve the library's HTTP surface. The server wraps them in
// the newsroom's authentication (staff session or API token); they only
// ask who the user is.
type Handlers struct {
	Lib *Library
	// UserID is the signed-in staff user's id (0 when unknown).
	UserID func(r *http.Request) int64
	// Render draws an admin page in the newsroom layout with status.
	Render func(w http.ResponseWriter, r *http.Request, status int, page string, data any)
	// Error draws an admin error page (nil: a JSON error).
	Error func(w http.ResponseWriter, r *http.Request, err error)
	// Staff lists the newsroom's users, for the library's uploader
	// filter (nil: no filter offered).
	Staff func(ctx context.Context) ([]news.StaffUser, error)
	// MayRemove says whether the user may delete or replace images (an
	// editor); nil refuses every API delete and replace.
	MayRemove func(r *http.Request) bool
	// Location is the paper's time zone (the date filter's days).
	Location *time.Location
}

// MaxBody is the largest upload request accepted: the image limit and
// room for the form around it. The route table caps upload routes at it,
// ahead of authentication, so that nothing (the CSRF check's form parsing
// included) reads more than an upload may be.
func (h *Handlers) MaxBody() int64 { return h.Lib.Limits.MaxBytes + formOverhead }

// TooLarge answers an upload declared larger than MaxBody with a clear
// message: an admin page when html is set, else a JSON error.
func (h *Handlers) TooLarge(html bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := &news.Error{Kind: news.KindTooLarge, Field: "file",
			Message: "the upload is larger than " + strconv.FormatInt(h.Lib.Limits.MaxBytes>>20, 10) + " MB, the limit for images"}
		if html && h.Error != nil {
			h.Error(w, r, err)
			return
		}
		writeError(w, r, err)
	}
}

// JSON is the API shape of a media item.
type JSON struct {
	ID         int64           `json:"id"`
	URL        string          `json:"url"`
	MIME       string          `json:"mime"`
	Width      int             `json:"width"`
	Height     int             `json:"height"`
	Bytes      int64           `json:"bytes"`
	Alt        string          `json:"alt"`
	Caption    string          `json:"caption,omitempty"`
	Credit     string          `json:"credit,omitempty"`
	SrcSet     string          `json:"srcset,omitempty"`
	Renditions []RenditionJSON `json:"renditions"`
	CreatedAt  time.Time       `json:"created_at"`
	UploadedBy int64           `json:"uploaded_by,omitempty"`
	// Image is ready to use as an article's lead image.
	Image news.Image `json:"image"`
	// Markdown shows the image in an article's body.
	Markdown string `json:"markdown"`
}

// RenditionJSON is one resized copy.
type RenditionJSON struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// ToJSON converts a media item to its API shape.
func ToJSON(m news.Media) JSON {
	j := JSON{ID: m.ID, URL: m.URL(), MIME: m.MIME, Width: m.Width, Height: m.Height, Bytes: m.Bytes, Alt: m.Alt, Caption: m.Caption,
		Credit: m.Credit, SrcSet: m.SrcSet(), CreatedAt: m.CreatedAt, UploadedBy: m.UploadedBy, Markdown: BodyMarkdown(m), Image: m.Image(), Renditions: []RenditionJSON{}}
	for _, r := range m.Renditions {
		j.Renditions = append(j.Renditions, RenditionJSON{URL: news.MediaURL(r.Path), Width: r.Width, Height: r.Height})
	}
	return j
}

// formOverhead is room for the multipart envelope and text fields beside
// the file itself.
const formOverhead = 256 << 10

// readUpload reads a multipart form (file, alt, caption, credit) as a
// stream, with its own body limit: the server's global limit skips media
// routes so that this one applies.
func (h *Handlers) readUpload(w http.ResponseWriter, r *http.Request) ([]byte, news.Media, error) {
	var meta news.Media
	if h.UserID != nil {
		meta.UploadedBy = h.UserID(r)
	}
	if r.MultipartForm != nil {
		// The session's CSRF check already parsed the form.
		return h.readParsed(r, meta)
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.Lib.Limits.MaxBytes+formOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, meta, news.Invalid("file", "send the image as multipart/form-data with a field named file")
	}
	var data []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, meta, uploadReadError(err, h.Lib)
		}
		switch part.FormName() {
		case "file":
			if data != nil {
				return nil, meta, news.Invalid("file", "send one image per upload")
			}
			data, err = h.Lib.ReadLimited(part)
			if err != nil {
				return nil, meta, uploadReadError(err, h.Lib)
			}
		case "alt", "caption", "credit":
			v, err := readField(part)
			if err != nil {
				return nil, meta, err
			}
			switch part.FormName() {
			case "alt":
				meta.Alt = v
			case "caption":
				meta.Caption = v
			default:
				meta.Credit = v
			}
		}
		part.Close()
	}
	if data == nil {
		return nil, meta, news.Invalid("file", "choose an image file to upload")
	}
	return data, meta, nil
}

func (h *Handlers) readParsed(r *http.Request, meta news.Media) ([]byte, news.Media, error) {
	f := r.MultipartForm
	first := func(k string) string {
		if v := f.Value[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	meta.Alt, meta.Caption, meta.Credit = first("alt"), first("caption"), first("credit")
	files := f.File["file"]
	if len(files) == 0 {
		return nil, meta, news.Invalid("file", "choose an image file to upload")
	}
	if len(files) > 1 {
		return nil, meta, news.Invalid("file", "send one image per upload")
	}
	fh, err := files[0].Open()
	if err != nil {
		return nil, meta, err
	}
	defer fh.Close()
	data, err := h.Lib.ReadLimited(fh)
	return data, meta, err
}

func uploadReadError(err error, l *Library) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &news.Error{Kind: news.KindTooLarge, Field: "file", Message: "the upload is larger than " + strconv.FormatInt(l.Limits.MaxBytes>>20, 10) + " MB, the limit for images"}
	}
	var ne *news.Error
	if errors.As(err, &ne) {
		return err
	}
	return news.Invalid("file", "the upload was cut off or is not valid multipart/form-data")
}

func readField(p *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p, 8<<10+1))
	if err != nil {
		return "", news.Invalid(p.FormName(), "the upload was cut off")
	}
	if len(b) > 8<<10 {
		return "", news.Invalid(p.FormName(), "%s is too long", p.FormName())
	}
	return string(b), nil
}

// writeError answers JSON errors; unsupported types get 415.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrUnsupportedType) {
		respond.JSON(w, http.StatusUnsupportedMediaType, respond.ErrorBody{Error: respond.ErrorDetail{
			Code: "unsupported_media_type", Message: news.PublicMessage(err), Field: "file"}})
		return
	}
	if errors.Is(err, ErrStorageUnavailable) {
		w.Header().Set("Retry-After", "30")
		respond.JSON(w, http.StatusServiceUnavailable, respond.ErrorBody{Error: respond.ErrorDetail{
			Code: "unavailable", Message: storageMessage, Field: "file"}})
		return
	}
	// Our refusals carry a message that says exactly what was wrong (the
	// general too-large text would hide the limit).
	var ne *news.Error
	if errors.As(err, &ne) && ne.Kind == news.KindTooLarge {
		respond.JSON(w, http.StatusRequestEntityTooLarge, respond.ErrorBody{Error: respond.ErrorDetail{Code: ne.Kind.String(), Message: ne.Message, Field: ne.Field}})
		return
	}
	respond.Error(w, r, err)
}

const storageMessage = "the image could not be stored because the media storage is not answering; nothing was saved, try again in a moment"

// APIUpload is POST /api/v1/admin/media: multipart file, alt, caption,
// credit; answers 201 with the media item.
func (h *Handlers) APIUpload(w http.ResponseWriter, r *http.Request) {
	data, meta, err := h.readUpload(w, r)
	if err == nil {
		meta, err = h.Lib.Upload(r.Context(), data, meta)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", meta.URL())
	respond.JSON(w, http.StatusCreated, ToJSON(meta))
}

// ListJSON is GET /admin/media.json (the editor's image picker) and GET
// /api/v1/admin/media: ?q= searches alt, caption and credit; ?page= pages.
func (h *Handlers) ListJSON(w http.ResponseWriter, r *http.Request) {
	page, perPage := pageOf(r), 48
	q, _, err := mediaQuery(r, h.Location)
	if err != nil {
		writeError(w, r, err)
		return
	}
	q.Limit, q.Offset = perPage, (page-1)*perPage
	items, total, err := h.Lib.Store.ListMedia(r.Context(), q)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Items []JSON `json:"items"`
		Total int    `json:"total"`
		Page  int    `json:"page"`
		Next  int    `json:"next_page,omitempty"`
	}{Items: []JSON{}, Total: total, Page: page}
	for _, m := range items {
		out.Items = append(out.Items, ToJSON(m))
	}
	if page*perPage < total {
		out.Next = page + 1
	}
	w.Header().Set("Cache-Control", "no-store")
	respond.JSON(w, http.StatusOK, out)
}

func pageOf(r *http.Request) int {
	p, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || p < 1 || p > 100000 {
		return 1
	}
	return p
}

func query(r *http.Request) string {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	return q
}

// LibraryPage is the data of the admin media page.
type LibraryPage struct {
	Items    []JSON
	Total    int
	Page     int
	PrevPage int
	NextPage int
	Query    string
	Filter   Filter
	// Uploaders are the choices of the uploader filter.
	Uploaders []Uploader
	// PageQuery is the search as a query string, for the pager links.
	PageQuery template.URL
	// Error and the form's values after a refused upload.
	Error    string
	Alt      string
	Caption  string
	Credit   string
	Uploaded *JSON
	// Uses lists the articles that keep an image from being deleted.
	Uses  []news.MediaUse
	MaxMB int64
}

// Filter is the library search as the form has it.
type Filter struct {
	Caption, Credit, Uploader, From, Until string
}

// Uploader is a choice of the uploader filter.
type Uploader struct {
	Value, Name string
}

// mediaQuery reads the library search: q (alt, caption or credit),
// caption, credit, uploader (a staff id, or "none" for imports), from and
// until (dates, both included, in the paper's time zone loc).
func mediaQuery(r *http.Request, loc *time.Location) (news.MediaQuery, Filter, error) {
	v := r.URL.Query()
	field := func(k string) string {
		s := strings.TrimSpace(v.Get(k))
		if len(s) > 200 {
			s = s[:200]
		}
		return s
	}
	f := Filter{Caption: field("caption"), Credit: field("credit"), Uploader: field("uploader"), From: field("from"), Until: field("until")}
	q := news.MediaQuery{Text: query(r), Caption: f.Caption, Credit: f.Credit}
	switch f.Uploader {
	case "":
	case "none":
		q.UploadedBy = -1
	default:
		id, err := strconv.ParseInt(f.Uploader, 10, 64)
		if err != nil || id <= 0 {
			return q, f, news.Invalid("uploader", "choose an uploader from the list")
		}
		q.UploadedBy = id
	}
	if loc == nil {
		loc = time.UTC
	}
	day := func(k, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			return t, news.Invalid(k, "write the date as YYYY-MM-DD")
		}
		return t, nil
	}
	// A date the form cannot show is not sent back into it.
	var err error
	if q.From, err = day("from", f.From); err != nil {
		f.From = ""
		return q, f, err
	}
	if q.Until, err = day("until", f.Until); err != nil {
		f.Until = ""
		return q, f, err
	}
	if !q.Until.IsZero() {
		q.Until = q.Until.AddDate(0, 0, 1) // the whole last day
	}
	if !q.From.IsZero() && !q.Until.IsZero() && !q.From.Before(q.Until) {
		return q, f, news.Invalid("until", "the last day is before the first")
	}
	return q, f, nil
}

func (f Filter) values(q string) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": q, "caption": f.Caption, "credit": f.Credit, "uploader": f.Uploader, "from": f.From, "until": f.Until} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// Page is GET /admin/media: the upload form and the library grid.
func (h *Handlers) Page(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, http.StatusOK, LibraryPage{})
}

func (h *Handlers) page(w http.ResponseWriter, r *http.Request, status int, data LibraryPage) {
	page, perPage := pageOf(r), 48
	data.Page, data.Query, data.MaxMB = page, query(r), h.Lib.Limits.MaxBytes>>20
	q, filter, err := mediaQuery(r, h.Location)
	data.Filter = filter
	if err != nil {
		if data.Error == "" {
			data.Error = news.PublicMessage(err)
		}
		if status == http.StatusOK {
			status = http.StatusBadRequest
		}
		q = news.MediaQuery{}
	}
	data.PageQuery = template.URL(filter.values(data.Query).Encode())
	if id, err := strconv.ParseInt(r.URL.Query().Get("uploaded"), 10, 64); err == nil && data.Uploaded == nil {
		if m, err := h.Lib.Store.MediaByID(r.Context(), id); err == nil {
			j := ToJSON(m)
			data.Uploaded = &j
		}
	}
	if h.Staff != nil {
		users, err := h.Staff(r.Context())
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		for _, u := range users {
			data.Uploaders = append(data.Uploaders, Uploader{Value: strconv.FormatInt(u.ID, 10), Name: u.Name})
		}
		data.Uploaders = append(data.Uploaders, Uploader{Value: "none", Name: "Imports and command line"})
	}
	q.Limit, q.Offset = perPage, (page-1)*perPage
	items, total, err := h.Lib.Store.ListMedia(r.Context(), q)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	for _, m := range items {
		data.Items = append(data.Items, ToJSON(m))
	}
	data.Total = total
	if page > 1 {
		data.PrevPage = page - 1
	}
	if page*perPage < total {
		data.NextPage = page + 1
	}
	h.Render(w, r, status, "media_library", data)
}

// FormUpload is POST /admin/media from the upload form: on success it
// redirects to the library (showing the new item), on refusal it shows
// the form again with the message and the typed text kept.
func (h *Handlers) FormUpload(w http.ResponseWriter, r *http.Request) {
	data, meta, err := h.readUpload(w, r)
	if err == nil {
		meta, err = h.Lib.Upload(r.Context(), data, meta)
	}
	if err != nil {
		h.formError(w, r, err, meta)
		return
	}
	http.Redirect(w, r, "/admin/media?uploaded="+strconv.FormatInt(meta.ID, 10), http.StatusSeeOther)
}

// formError shows the library page again after a refused upload or
// replacement, with the message, the right status and the typed text.
func (h *Handlers) formError(w http.ResponseWriter, r *http.Request, err error, meta news.Media) {
	status := http.StatusBadRequest
	if errors.Is(err, ErrStorageUnavailable) {
		w.Header().Set("Retry-After", "30")
		h.page(w, r, http.StatusServiceUnavailable, LibraryPage{Error: storageMessage, Alt: meta.Alt, Caption: meta.Caption, Credit: meta.Credit})
		return
	}
	if err = respond.Classify(r, err); news.KindOf(err) == news.KindStorageFull {
		respond.LogError(r, "media upload", err)
		h.page(w, r, http.StatusInsufficientStorage, LibraryPage{Error: news.StorageFullMessage, Alt: meta.Alt, Caption: meta.Caption, Credit: meta.Credit})
		return
	}
	if errors.Is(err, ErrUnsupportedType) {
		status = http.StatusUnsupportedMediaType
	} else if s := respond.StatusOf(err); s >= 400 {
		status = s
	}
	if status >= 500 {
		respond.Error(w, r, err)
		return
	}
	h.page(w, r, status, LibraryPage{Error: news.PublicMessage(err), Alt: meta.Alt, Caption: meta.Caption, Credit: meta.Credit})
}

// UpdateText is POST /admin/media/{id}: new alt text, caption and credit.
// Files never change (their names are immutable); articles that already
// use the image keep the text they were saved with.
func (h *Handlers) UpdateText(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Error(w, r, news.NotFound("media"))
		return
	}
	m, err := h.Lib.Store.MediaByID(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	m.Alt, m.Caption, m.Credit = r.PostFormValue("alt"), r.PostFormValue("caption"), r.PostFormValue("credit")
	if err := h.Lib.Store.UpdateMediaText(r.Context(), &m); err != nil {
		if news.KindOf(err) == news.KindInvalid {
			h.page(w, r, http.StatusBadRequest, LibraryPage{Error: news.PublicMessage(err)})
			return
		}
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/media?done=Saved", http.StatusSeeOther)
}

func mediaID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.NotFound("media")
	}
	return id, nil
}

// Delete is POST /admin/media/{id}/delete. An image an article shows is
// refused, with the list of those articles; the files of a deleted one
// are removed after the record.
func (h *Handlers) Delete(w http.ResponseWriter, r *http.Request) {
	id, err := mediaID(r)
	if err == nil {
		var m news.Media
		m, err = h.Lib.Delete(r.Context(), id)
		if err == nil {
			http.Redirect(w, r, "/admin/media?done="+url.QueryEscape(fmt.Sprintf("Deleted “%s” and its files.", m.Alt)), http.StatusSeeOther)
			return
		}
	}
	var in *news.MediaInUse
	if errors.As(err, &in) {
		h.page(w, r, http.StatusConflict, LibraryPage{Error: news.PublicMessage(err), Uses: in.Uses})
		return
	}
	h.Error(w, r, err)
}

// Replace is POST /admin/media/{id}/replace with a new file: the item
// keeps its id, texts and place in articles, and shows the new image
// everywhere (see Library.Replace).
func (h *Handlers) Replace(w http.ResponseWriter, r *http.Request) {
	id, err := mediaID(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	data, _, err := h.readUpload(w, r)
	if err == nil {
		_, err = h.Lib.Replace(r.Context(), id, data)
	}
	if err != nil {
		if news.KindOf(err) == news.KindNotFound {
			h.Error(w, r, err)
			return
		}
		h.formError(w, r, err, news.Media{})
		return
	}
	http.Redirect(w, r, "/admin/media?done="+url.QueryEscape("Replaced: the articles that show it now show the new image.")+"&uploaded="+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// APIDelete is DELETE /api/v1/admin/media/{id}: 204, or 409 with the
// articles that use the image.
func (h *Handlers) APIDelete(w http.ResponseWriter, r *http.Request) {
	if !h.mayRemove(r) {
		writeError(w, r, errMayNotRemove)
		return
	}
	id, err := mediaID(r)
	if err == nil {
		_, err = h.Lib.Delete(r.Context(), id)
	}
	var in *news.MediaInUse
	if errors.As(err, &in) {
		type use struct {
			ID       int64  `json:"id,omitempty"`
			Headline string `json:"headline"`
			Status   string `json:"status,omitempty"`
			Pending  bool   `json:"draft_of_changes,omitempty"`
			StoryID  int64  `json:"story_id,omitempty"`
		}
		body := struct {
			Error respond.ErrorDetail `json:"error"`
			Uses  []use               `json:"used_by"`
		}{Error: respond.ErrorDetail{Code: "conflict", Message: news.PublicMessage(err)}}
		for _, u := range in.Uses {
			body.Uses = append(body.Uses, use{u.ArticleID, u.Headline, string(u.Status), u.Pending, u.StoryID})
		}
		respond.JSON(w, http.StatusConflict, body)
		return
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// APIReplace is PUT /api/v1/admin/media/{id}: multipart file; answers
// 200 with the item and its new URLs.
func (h *Handlers) APIReplace(w http.ResponseWriter, r *http.Request) {
	if !h.mayRemove(r) {
		writeError(w, r, errMayNotRemove)
		return
	}
	id, err := mediaID(r)
	var m news.Media
	if err == nil {
		var data []byte
		data, _, err = h.readUpload(w, r)
		if err == nil {
			m, err = h.Lib.Replace(r.Context(), id, data)
		}
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, ToJSON(m))
}

var errMayNotRemove = news.Errorf(news.KindForbidden, "only editors and administrators may delete or replace images")

func (h *Handlers) mayRemove(r *http.Request) bool { return h.MayRemove != nil && h.MayRemove(r) }
