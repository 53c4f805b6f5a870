package api

import (
	"net/http"
	"strconv"
	"time"

	"byline/internal/auth"
	"byline/internal/editorial"
	"byline/internal/news"
	"byline/internal/respond"
)

// A published article's draft of changes through the Admin API: changes
// prepared beside the live article, which readers, feeds and the Content
// API keep seeing until the draft is published (or at its publish_at).

// AdminChanges is the JSON of a draft of changes.
type AdminChanges struct {
	ArticleID int64 `json:"article_id"`
	// PendingSeq names this save of the draft: saving, publishing or
	// discarding it again must send it.
	PendingSeq int `json:"pending_seq"`
	// BaseVersion is the live version the draft was saved from;
	// LiveVersion is the live version now.
	BaseVersion int        `json:"base_version"`
	LiveVersion int        `json:"live_version"`
	SavedAt     time.Time  `json:"saved_at"`
	SavedBy     string     `json:"saved_by"`
	PublishAt   *time.Time `json:"publish_at"`
	// Article is the article as publishing the draft would make it.
	Article AdminArticle `json:"article"`
}

// ChangesInput is the JSON of PUT …/changes: the article's fields (absent
// ones keep the draft's, or the live article's, value), the live version
// and the draft's pending_seq it started from, and an optional
// publish_at (absent: a scheduled draft keeps its time; null: none).
type ChangesInput struct {
	ArticleInput
	PendingSeq *int         `json:"pending_seq"`
	PublishAt  optionalTime `json:"publish_at"`
}

// optionalTime tells a JSON null ("no time") from an absent field (Set
// false).
type optionalTime struct {
	Set bool
	T   *time.Time
}

func (o *optionalTime) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.T = nil
		return nil
	}
	var t time.Time
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	o.T = &t
	return nil
}

func (a *API) respondChanges(w http.ResponseWriter, r *http.Request, id int64) {
	live, err := a.d.Admin.Editorial.Get(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	d, err := a.d.Admin.Editorial.Pending(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := AdminChanges{ArticleID: id, PendingSeq: d.Seq, BaseVersion: d.BaseVersion, LiveVersion: live.Version,
		SavedAt: d.SavedAt, SavedBy: d.UserName, Article: a.adminArticle(editorial.DraftArticle(live, d))}
	if !d.PublishAt.IsZero() {
		out.PublishAt = &d.PublishAt
	}
	w.Header().Set("Cache-Control", "no-store")
	respond.JSON(w, http.StatusOK, out)
}

// AdminChangesGet answers the draft of changes (404 when there is none).
func (a *API) AdminChangesGet(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	a.respondChanges(w, r, id)
}

// AdminChangesPut saves the draft of changes; the live article is not
// touched (a publish_at that has passed publishes it now).
func (a *API) AdminChangesPut(w http.ResponseWriter, r *http.Request) {
	u, _ := auth.UserFrom(r.Context())
	id, err := adminPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var in ChangesInput
	if err := decodeJSON(r, &in, false); err != nil {
		respond.Error(w, r, err)
		return
	}
	ctx := r.Context()
	live, err := a.d.Admin.Editorial.Get(ctx, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	seq := 0
	if in.PendingSeq != nil {
		seq = *in.PendingSeq
	}
	ar, at := live, time.Time{}
	if d, err := a.d.Admin.Editorial.Pending(ctx, id); err == nil && d.Seq == seq {
		// Fields the request leaves out keep the draft's value, and the
		// draft its schedule.
		ar = editorial.DraftArticle(live, d)
		if d.PublishAt.After(time.Now()) {
			at = d.PublishAt
		}
	} else if err != nil && !news.IsNotFound(err) {
		respond.Error(w, r, err)
		return
	}
	if in.Version != nil {
		ar.Version = *in.Version
	}
	if in.PublishAt.Set {
		at = time.Time{}
		if in.PublishAt.T != nil {
			at = *in.PublishAt.T
		}
	}
	if err := a.apply(r, in.ArticleInput, &ar); err != nil {
		respond.Error(w, r, err)
		return
	}
	d, err := a.d.Admin.Editorial.SavePending(ctx, u, &ar, seq, at)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if !at.IsZero() && d.PublishAt.IsZero() {
		// Its time had come: it is live now.
		a.respondArticle(w, r, http.StatusOK, id, nil)
		return
	}
	a.respondChanges(w, r, id)
}

// AdminChangesPublish makes the draft of changes live: {"pending_seq": N}.
func (a *API) AdminChangesPublish(w http.ResponseWriter, r *http.Request) {
	u, _ := auth.UserFrom(r.Context())
	id, err := adminPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var in struct {
		PendingSeq *int `json:"pending_seq"`
	}
	if err := decodeJSON(r, &in, false); err != nil {
		respond.Error(w, r, err)
		return
	}
	if in.PendingSeq == nil {
		respond.Error(w, r, news.Invalid("pending_seq", "name the draft of changes to publish (its pending_seq)"))
		return
	}
	if _, err := a.d.Admin.Editorial.PublishPending(r.Context(), u, id, *in.PendingSeq); err != nil {
		respond.Error(w, r, err)
		return
	}
	a.respondArticle(w, r, http.StatusOK, id, nil)
}

// AdminChangesDelete discards the draft of changes (?pending_seq=N).
func (a *API) AdminChangesDelete(w http.ResponseWriter, r *http.Request) {
	u, _ := auth.UserFrom(r.Context())
	id, err := adminPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	seq, err := strconv.Atoi(r.URL.Query().Get("pending_seq"))
	if err != nil || seq <= 0 {
		respond.Error(w, r, news.Invalid("pending_seq", "name the draft of changes to discard (?pending_seq=N)"))
		return
	}
	if err := a.d.Admin.Editorial.DiscardPending(r.Context(), u, id, seq); err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
