package media

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"byline/internal/news"
	"byline/internal/respond"
)

// Fields of the editor's upload box (templates/partials/media_upload.html
// in the newsroom).
const (
	editorFile    = "upload_file"
	editorUse     = "upload_use" // "lead" (default) or "body"
	editorAlt     = "upload_alt"
	editorCaption = "upload_caption"
	editorCredit  = "upload_credit"
)

// EditorUpload wraps the editor's save handlers (new and existing
// articles) for the upload box used without script: its button sends the
// whole editor form as multipart/form-data with the image. The image is
// uploaded to the library first and then becomes the lead image (the
// image_* fields) or is added to the end of the body, and the form goes
// on to the save as if the editor had chosen it from the library. A
// refused image saves nothing: refuse draws the editor again with the
// message. Other requests pass through untouched.
func (h *Handlers) EditorUpload(next http.Handler, refuse func(w http.ResponseWriter, r *http.Request, status int, msg string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "multipart/form-data" {
			next.ServeHTTP(w, r)
			return
		}
		if r.MultipartForm == nil {
			// The CSRF check reads the form first; this is for handlers
			// mounted without it (tests).
			if err := r.ParseMultipartForm(formOverhead); err != nil {
				refuse(w, r, http.StatusBadRequest, "the form could not be read; nothing was saved")
				return
			}
		}
		files := r.MultipartForm.File[editorFile]
		if len(files) == 0 || (files[0].Filename == "" && files[0].Size == 0) {
			next.ServeHTTP(w, r) // the box was left empty
			return
		}
		m, err := h.editorImage(r)
		if err != nil {
			status, msg := editorRefusal(r, err)
			if status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "30")
			}
			refuse(w, r, status, msg)
			return
		}
		f := r.PostForm
		if r.PostForm.Get(editorUse) == "body" {
			body := strings.TrimRight(f.Get("body"), "\r\n ")
			if body != "" {
				body += "\n\n"
			}
			f.Set("body", body+BodyMarkdown(m)+"\n")
		} else {
			img := m.Image()
			f.Set("image_url", img.URL)
			f.Set("image_alt", img.Alt)
			f.Set("image_caption", img.Caption)
			f.Set("image_credit", img.Credit)
		}
		for _, k := range []string{editorAlt, editorCaption, editorCredit, editorUse} {
			f.Del(k)
		}
		r.Form = nil // rebuilt from PostForm by the next ParseForm
		if err := r.ParseForm(); err != nil {
			refuse(w, r, http.StatusBadRequest, "the form could not be read; nothing was saved")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (h *Handlers) editorImage(r *http.Request) (news.Media, error) {
	meta := news.Media{Alt: r.PostForm.Get(editorAlt), Caption: r.PostForm.Get(editorCaption), Credit: r.PostForm.Get(editorCredit)}
	if h.UserID != nil {
		meta.UploadedBy = h.UserID(r)
	}
	if files := r.MultipartForm.File[editorFile]; len(files) > 1 {
		return meta, news.Invalid("file", "send one image at a time")
	}
	fh, err := r.MultipartForm.File[editorFile][0].Open()
	if err != nil {
		return meta, err
	}
	defer fh.Close()
	data, err := h.Lib.ReadLimited(fh)
	if err != nil {
		return meta, err
	}
	return h.Lib.Upload(r.Context(), data, meta)
}

// editorRefusal is the status and message of a refused editor upload.
func editorRefusal(r *http.Request, err error) (int, string) {
	const lost = " Nothing was saved: choose the file again, or save without it."
	switch {
	case errors.Is(err, ErrStorageUnavailable):
		return http.StatusServiceUnavailable, storageMessage
	case errors.Is(err, ErrUnsupportedType):
		return http.StatusUnsupportedMediaType, "The image was not uploaded: " + news.PublicMessage(err) + "." + lost
	}
	err = respond.Classify(r, err)
	if news.KindOf(err) == news.KindStorageFull {
		respond.LogError(r, "media upload", err)
		return http.StatusInsufficientStorage, news.StorageFullMessage
	}
	status := respond.StatusOf(err)
	if status >= 500 {
		respond.LogError(r, "media upload", err)
		return status, "The image could not be stored." + lost
	}
	return status, "The image was not uploaded: " + news.PublicMessage(err) + "." + lost
}

// BodyMarkdown is the Markdown that shows m in an article's body: the
// image with its alt text, and the caption and credit as its title.
func BodyMarkdown(m news.Media) string {
	alt := strings.NewReplacer("[", "(", "]", ")", "\n", " ").Replace(m.Alt)
	title := strings.TrimSpace(strings.Join(nonEmpty(m.Caption, m.Credit), " "))
	if title == "" {
		return "![" + alt + "](" + m.URL() + ")"
	}
	title = strings.NewReplacer(`"`, "'", "\n", " ").Replace(title)
	return "![" + alt + "](" + m.URL() + ` "` + title + `")`
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
