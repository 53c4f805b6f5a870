package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"byline/internal/auth"
	"byline/internal/markup"
	"byline/internal/news"
	"byline/internal/respond"
)

// ArticleInput is the JSON of create and update. On PATCH, absent fields
// keep their value; "image": null removes the lead image.
type ArticleInput struct {
	Headline       *string            `json:"headline"`
	Dek            *string            `json:"dek"`
	Body           *string            `json:"body"`
	Slug           *string            `json:"slug"`
	Section        *string            `json:"section"`
	Tags           *[]string          `json:"tags"`
	Authors        *[]json.RawMessage `json:"authors"`
	Dateline       *string            `json:"dateline"`
	Image          json.RawMessage    `json:"image"`
	SEOTitle       *string            `json:"seo_title"`
	SEODescription *string            `json:"seo_description"`
	Top            *bool              `json:"top"`
	Breaking       *bool              `json:"breaking"`
	EmbargoUntil   *time.Time         `json:"embargo_until"`
	Version        *int               `json:"version"`
	// fields are the plain fields sent that are not named above
	// (fields.go): decodeJSON puts them here.
	fields []rawField
}

// apply copies the given fields onto ar, resolving the section path and
// author slugs or ids.
func (a *API) apply(r *http.Request, in ArticleInput, ar *news.Article) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&ar.Headline, in.Headline)
	set(&ar.Dek, in.Dek)
	set(&ar.Body, in.Body)
	set(&ar.Slug, in.Slug)
	set(&ar.Dateline, in.Dateline)
	set(&ar.SEOTitle, in.SEOTitle)
	set(&ar.SEODescription, in.SEODescription)
	if in.Top != nil {
		ar.Top = *in.Top
	}
	if in.Breaking != nil {
		ar.Breaking = *in.Breaking
	}
	if in.EmbargoUntil != nil {
		ar.EmbargoUntil = in.EmbargoUntil.UTC()
	}
	if in.Tags != nil {
		ar.Tags = *in.Tags
	}
	if err := in.applyFields(ar); err != nil {
		return err
	}
	if in.Section != nil {
		sec, err := a.d.Admin.Editorial.SectionByPath(r.Context(), strings.Trim(*in.Section, "/"))
		if err != nil {
			return err
		}
		ar.SectionID, ar.Section = sec.ID, sec
	}
	if in.Authors != nil {
		ar.Authors = nil
		for _, raw := range *in.Authors {
			au, err := a.adminAuthor(r, raw)
			if err != nil {
				return err
			}
			ar.Authors = append(ar.Authors, au)
		}
	}
	if len(in.Image) > 0 {
		if string(in.Image) == "null" {
			ar.Image = nil
		} else {
			var img AdminImage
			if err := json.Unmarshal(in.Image, &img); err != nil {
				return news.Invalid("image", "image must be an object with url, alt, caption and credit")
			}
			if !safeURL(img.URL) {
				return news.Invalid("image", "the image url must start with /, http:// or https://")
			}
			ar.Image = &news.Image{URL: img.URL, Alt: img.Alt, Caption: img.Caption, Credit: img.Credit}
		}
	}
	return nil
}

func safeURL(s string) bool {
	return (strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//")) || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// adminAuthor resolves a byline given as a slug ("kim-min-ji") or an id (12).
func (a *API) adminAuthor(r *http.Request, raw json.RawMessage) (news.Author, error) {
	var slug string
	var id int64
	var au news.Author
	var err error
	switch {
	case json.Unmarshal(raw, &slug) == nil:
		au, err = a.d.Store.AuthorBySlug(r.Context(), slug)
	case json.Unmarshal(raw, &id) == nil:
		au, err = a.d.Store.AuthorByID(r.Context(), id)
	default:
		return au, news.Invalid("authors", "authors are given by slug or id")
	}
	if news.IsNotFound(err) {
		return au, news.Invalid("authors", "there is no author %s", strings.Trim(string(raw), `"`))
	}
	return au, err
}

func adminPathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.NotFound("article")
	}
	return id, nil
}

func (a *API) AdminCreate(w http.ResponseWriter, r *http.Request) {
	u, _ := auth.UserFrom(r.Context())
	var in ArticleInput
	if err := decodeJSON(r, &in, false); err != nil {
		respond.Error(w, r, err)
		return
	}
	if in.Section == nil {
		respond.Error(w, r, news.Invalid("section", "section is required (its path, such as \"national/politics\")"))
		return
	}
	var ar news.Article
	if err := a.apply(r, in, &ar); err != nil {
		respond.Error(w, r, err)
		return
	}
	removed := a.d.Markup.Check(ar.Body)
	if err := a.d.Admin.Editorial.Create(r.Context(), u, &ar); err != nil {
		respond.Error(w, r, err)
		return
	}
	a.respondArticle(w, r, http.StatusCreated, ar.ID, &removed)
}

// respondArticle answers with the stored article; removed, when given, is
// the report on the body as the client sent it.
func (a *API) respondArticle(w http.ResponseWriter, r *http.Request, status int, id int64, removed *markup.Report) {
	ar, err := a.d.Admin.Editorial.Get(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/admin/articles/"+strconv.FormatInt(id, 10))
	}
	w.Header().Set("Cache-Control", "no-store")
	out := a.adminArticle(ar)
	if removed != nil {
		out.setRemoved(*removed)
	}
	respond.JSON(w, status, out)
}

func (a *API) AdminGet(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	a.respondArticle(w, r, http.StatusOK, id, nil)
}

func (a *API) AdminPatch(w http.ResponseWriter, r *http.Request) {
	u, _ := auth.UserFrom(r.Context())
	id, err := adminPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var in ArticleInput
	if err := decodeJSON(r, &in, false); err != nil {
		respond.Error(w, r, err)
		return
	}
	ar, err := a.d.Admin.Editorial.Get(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if in.Version != nil {
		ar.Version = *in.Version
	}
	if err := a.apply(r, in, &ar); err != nil {
		respond.Error(w, r, err)
		return
	}
	removed := a.d.Markup.Check(ar.Body)
	if err := a.d.Admin.Editorial.Save(r.Context(), u, &ar); err != nil {
		respond.Error(w, r, err)
		return
	}
	a.respondArticle(w, r, http.StatusOK, id, &removed)
}

func (a *API) AdminPublish(w http.ResponseWriter, r *http.Request) {
	u, _ := auth.UserFrom(r.Context())
	id, err := adminPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var in struct {
		At *time.Time `json:"at"`
	}
	if err := decodeJSON(r, &in, true); err != nil {
		respond.Error(w, r, err)
		return
	}
	if in.At != nil {
		_, err = a.d.Admin.Editorial.Schedule(r.Context(), u, id, *in.At)
	} else {
		_, err = a.d.Admin.Editorial.Publish(r.Context(), u, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	a.respondArticle(w, r, http.StatusOK, id, nil)
}

func (a *API) AdminUnpublish(w http.ResponseWriter, r *http.Request) {
	u, _ := auth.UserFrom(r.Context())
	id, err := adminPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if err := decodeJSON(r, &struct{}{}, true); err != nil {
		respond.Error(w, r, err)
		return
	}
	if _, err := a.d.Admin.Editorial.Unpublish(r.Context(), u, id); err != nil {
		respond.Error(w, r, err)
		return
	}
	a.respondArticle(w, r, http.StatusOK, id, nil)
}

func (a *API) AdminCorrect(w http.ResponseWriter, r *http.Request) {
	u, _ := auth.UserFrom(r.Context())
	id, err := adminPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var in struct {
		Body string `json:"body"`
		Kind string `json:"kind"`
	}
	if err := decodeJSON(r, &in, false); err != nil {
		respond.Error(w, r, err)
		return
	}
	c, err := a.d.Admin.Editorial.Correct(r.Context(), u, id, news.CorrectionKind(in.Kind), in.Body)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, CorrectionItem{Kind: string(c.Kind), Body: c.Body, CreatedAt: c.CreatedAt})
}
