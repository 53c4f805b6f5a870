package newsroom

import (
	"net/http"

	"byline/internal/news"
)

// RefuseEditorUpload draws the editor again, with everything that was
// typed and msg, after the image sent with the editor form (its upload
// field, used without script) was refused: nothing was saved, neither
// the image nor the article.
func (n *Newsroom) RefuseEditorUpload(w http.ResponseWriter, r *http.Request, status int, msg string) {
	a := news.Article{Status: news.StatusDraft}
	isNew := r.PathValue("id") == ""
	if !isNew {
		id, err := articleID(r)
		if err != nil {
			n.Error(w, r, err)
			return
		}
		if a, err = n.d.Editorial.Get(r.Context(), id); err != nil {
			n.Error(w, r, err)
			return
		}
	}
	// What was typed is shown even where it is itself invalid: the
	// message is about the image.
	_ = n.parseArticleForm(r, &a)
	n.showEdit(w, r, status, a, isNew, msg, nil)
}

// RenderStatus writes an admin page like Render, with status.
func (n *Newsroom) RenderStatus(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	n.render(w, r, status, page, data)
}
