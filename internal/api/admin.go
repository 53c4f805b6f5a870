package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"byline/internal/auth"
	"byline/internal/editorial"
	"byline/internal/markup"
	"byline/internal/news"
	"byline/internal/respond"
)

// AdminDeps are what the Admin API needs: the workflow service (all
// rules, roles included, live there) and the token checker.
type AdminDeps struct {
	Editorial *editorial.Service
	Tokens    *auth.Tokens
}

// EnableAdmin turns the Admin API on; the server calls it before
// registering routes when the store keeps staff accounts.
func (a *API) EnableAdmin(d AdminDeps) { a.d.Admin = &d }

// RequireToken is the Admin API's authentication: a valid
// "Authorization: Bearer TOKEN", else a JSON 401. Other admin endpoints
// (media uploads) wrap their handlers in it and read the user with
// auth.UserFrom(r.Context()).
func (a *API) RequireToken(next http.Handler) http.Handler {
	if a.d.Admin == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			respond.Error(w, r, news.Errorf(news.KindNotFound, "the Admin API is not available with this storage engine"))
		})
	}
	return a.d.Admin.Tokens.RequireToken(respond.Error)(next)
}

// AdminImage is an article's lead image in the Admin API.
type AdminImage struct {
	URL     string `json:"url"`
	Alt     string `json:"alt"`
	Caption string `json:"caption,omitempty"`
	Credit  string `json:"credit,omitempty"`
}

// AdminAuthor is a byline entry.
type AdminAuthor struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// AdminArticle is an article of any status as the Admin API shows it.
type AdminArticle struct {
	ID             int64            `json:"id"`
	URL            string           `json:"url"`
	Status         news.Status      `json:"status"`
	Version        int              `json:"version"`
	Headline       string           `json:"headline"`
	Dek            string           `json:"dek"`
	Slug           string           `json:"slug"`
	Body           string           `json:"body"`
	Section        SectionRef       `json:"section"`
	Tags           []string         `json:"tags"`
	Authors        []AdminAuthor    `json:"authors"`
	Dateline       string           `json:"dateline"`
	Image          *AdminImage      `json:"image"`
	SEOTitle       string           `json:"seo_title"`
	SEODescription string           `json:"seo_description"`
	Top            bool             `json:"top"`
	Breaking       bool             `json:"breaking"`
	CreatedAt      time.Time        `json:"created_at"`
	ModifiedAt     time.Time        `json:"modified_at"`
	PublishedAt    *time.Time       `json:"published_at"`
	UpdatedAt      *time.Time       `json:"updated_at"`
	EmbargoUntil   *time.Time       `json:"embargo_until"`
	Corrections    []CorrectionItem `json:"corrections"`
	// RemovedHTML lists the body's HTML elements the page does not show
	// (after a create or update: of the body as sent, so pasted embed
	// code is listed as replaced by its embed); Removed says it in words.
	RemovedHTML []markup.Removed `json:"removed_html"`
	Removed     string           `json:"removed,omitempty"`
	// fields are the plain fields not named above (fields.go).
	fields []fieldValue
}

func (out AdminArticle) MarshalJSON() ([]byte, error) {
	type plain AdminArticle
	b, err := json.Marshal(plain(out))
	return withFields(b, err, out.fields)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (a *API) adminArticle(ar news.Article) AdminArticle {
	sec := ar.Section
	if a.d.Tree != nil {
		if s, ok := a.d.Tree().ByID(ar.SectionID); ok {
			sec = s
		}
	}
	out := AdminArticle{ID: ar.ID, URL: a.abs(ar.URL()), Status: ar.Status, Version: ar.Version, Headline: ar.Headline, Dek: ar.Dek,
		Slug: ar.Slug, Body: ar.Body, Section: SectionRef{ID: ar.SectionID, Path: sec.Path, Name: sec.Name, URL: a.abs(sec.URL())},
		Tags: ar.Tags, Authors: []AdminAuthor{}, Dateline: ar.Dateline, SEOTitle: ar.SEOTitle, SEODescription: ar.SEODescription,
		Top: ar.Top, Breaking: ar.Breaking, CreatedAt: ar.CreatedAt, ModifiedAt: ar.ModifiedAt, PublishedAt: timePtr(ar.PublishedAt),
		UpdatedAt: timePtr(ar.UpdatedAt), EmbargoUntil: timePtr(ar.EmbargoUntil), Corrections: []CorrectionItem{}, fields: fieldValues(adminFields, &ar)}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	for _, au := range ar.Authors {
		out.Authors = append(out.Authors, AdminAuthor{ID: au.ID, Slug: au.Slug, Name: au.Name})
	}
	if ar.Image != nil {
		out.Image = &AdminImage{URL: ar.Image.URL, Alt: ar.Image.Alt, Caption: ar.Image.Caption, Credit: ar.Image.Credit}
	}
	for _, c := range ar.Corrections {
		out.Corrections = append(out.Corrections, CorrectionItem{Kind: string(c.Kind), Body: c.Body, CreatedAt: c.CreatedAt})
	}
	out.setRemoved(a.d.Markup.Check(ar.Body))
	return out
}

// decodeJSON reads a JSON object body strictly: unknown fields, trailing
// data and wrong types are 400s; an oversized body is a 413. An empty
// body is allowed when optional.
func decodeJSON(r *http.Request, v any, optional bool) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &news.Error{Kind: news.KindTooLarge, Message: "the request body is too large"}
		}
		return news.Invalid("body", "the request body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return news.Invalid("body", "send a JSON object")
	}
	if in, ok := v.(fieldsInput); ok {
		body = in.takeFields(body)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return news.Invalid("body", "the request body is not valid JSON for this endpoint: %s", jsonProblem(err))
	}
	if dec.More() {
		return news.Invalid("body", "the request body has data after the JSON object")
	}
	return nil
}

func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "field " + strconv.Quote(te.Field) + " must be " + te.Type.String()
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field") {
		return strings.TrimPrefix(msg, "json: ")
	}
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}

func (out *AdminArticle) setRemoved(rep markup.Report) {
	out.RemovedHTML, out.Removed = rep.Removed, rep.String()
	if out.RemovedHTML == nil {
		out.RemovedHTML = []markup.Removed{}
	}
}
