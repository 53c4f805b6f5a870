package media

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
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
	// Render draws an admin page in the newsroom layout.
	Render func(w http.ResponseWriter, r *http.Request, page string, data any)
	// Error draws an admin error page (nil: a JSON error).
	Error func(w http.ResponseWriter, r *http.Request, err error)
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
	// Image is ready to use as an article's lead image.
	Image news.Image `json:"image"`
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
		Credit: m.Credit, SrcSet: m.SrcSet(), CreatedAt: m.CreatedAt, Image: m.Image(), Renditions: []RenditionJSON{}}
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
	items, total, err := h.Lib.Store.ListMedia(r.Context(), news.MediaQuery{Text: query(r), Limit: perPage, Offset: (page - 1) * perPage})
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
	// Error and the form's values after a refused upload.
	Error    string
	Alt      string
	Caption  string
	Credit   string
	Uploaded *JSON
	MaxMB    int64
}

// Page is GET /admin/media: the upload form and the library grid.
func (h *Handlers) Page(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, http.StatusOK, LibraryPage{})
}

func (h *Handlers) page(w http.ResponseWriter, r *http.Request, status int, data LibraryPage) {
	page, perPage := pageOf(r), 48
	data.Page, data.Query, data.MaxMB = page, query(r), h.Lib.Limits.MaxBytes>>20
	if id, err := strconv.ParseInt(r.URL.Query().Get("uploaded"), 10, 64); err == nil && data.Uploaded == nil {
		if m, err := h.Lib.Store.MediaByID(r.Context(), id); err == nil {
			j := ToJSON(m)
			data.Uploaded = &j
		}
	}
	items, total, err := h.Lib.Store.ListMedia(r.Context(), news.MediaQuery{Text: data.Query, Limit: perPage, Offset: (page - 1) * perPage})
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
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	h.Render(w, r, "media_library", data)
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
		return
	}
	http.Redirect(w, r, "/admin/media?uploaded="+strconv.FormatInt(meta.ID, 10), http.StatusSeeOther)
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
