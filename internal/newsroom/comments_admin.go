package newsroom

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"byline/internal/comments"
	"byline/internal/news"
)

// CommentsAdmin serves the moderators' pages under /admin/comments (the
// rules are internal/comments').
type CommentsAdmin struct {
	svc     *comments.Service
	baseURL string
	UI      *Newsroom
	// Actor names the signed-in staff member for the audit log.
	Actor func(r *http.Request) string
}

// NewCommentsAdmin builds the moderation pages in ui's layout; actor names the
// signed-in staff member (nil: "staff").
func NewCommentsAdmin(svc *comments.Service, baseURL string, ui *Newsroom, actor func(r *http.Request) string) *CommentsAdmin {
	if actor == nil {
		actor = func(*http.Request) string { return "staff" }
	}
	return &CommentsAdmin{svc: svc, baseURL: baseURL, UI: ui, Actor: actor}
}

func (a *CommentsAdmin) done(w http.ResponseWriter, r *http.Request, path, msg string) {
	http.Redirect(w, r, path+"?done="+url.QueryEscape(msg), http.StatusSeeOther)
}

// QueueItem is a comment in the queue with the clause to offer first:
// the one the comment was already held under, else the one most of its
// reports named, else none (a moderator chooses; a decision without a
// clause is refused).
type QueueItem struct {
	news.ModerationQueueItem
	Suggested string
	// Rule is the moderation rule that governs the article now ("why is
	// this article pre-moderated?"); zero when none matches.
	Rule news.ModRule
	// Decision is the latest decision on the comment (the hold, with the
	// rule and version that made it); zero when none.
	Decision news.ModerationEntry
}

// suggestClause picks the clause a queue item's form starts with.
func suggestClause(it news.ModerationQueueItem) string {
	if it.Comment.Clause != "" {
		return it.Comment.Clause
	}
	n := map[string]int{}
	best, tie := "", false
	for _, r := range it.Reports {
		if r.Clause == "" {
			continue
		}
		n[r.Clause]++
		switch {
		case best == "" || n[r.Clause] > n[best]:
			best, tie = r.Clause, false
		case r.Clause != best && n[r.Clause] == n[best]:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// QueueSummary is what the dashboard says of the queue.
type QueueSummary struct {
	Held, Reported int
	// Oldest is when the longest-waiting item started waiting: a held
	// comment's posting time, a reported one's first report.
	Oldest time.Time
	// More: the queue holds more than were counted.
	More bool
}

// queueCountLimit bounds the dashboard's count (it reads the queue).
const queueCountLimit = 500

// Summary counts what waits for a moderator.
func (a *CommentsAdmin) Summary(ctx context.Context) (QueueSummary, error) {
	items, err := a.svc.Store().ModerationQueue(ctx, queueCountLimit+1, 0)
	if err != nil {
		return QueueSummary{}, err
	}
	var q QueueSummary
	if len(items) > queueCountLimit {
		items, q.More = items[:queueCountLimit], true
	}
	for _, it := range items {
		since := it.Comment.CreatedAt
		if len(it.Reports) > 0 {
			q.Reported++
			since = it.Reports[0].CreatedAt
			for _, r := range it.Reports {
				if r.CreatedAt.Before(since) {
					since = r.CreatedAt
				}
			}
		} else {
			q.Held++
		}
		if !since.IsZero() && (q.Oldest.IsZero() || since.Before(q.Oldest)) {
			q.Oldest = since
		}
	}
	return q, nil
}

// QueueData is the data of comments_queue.html.
type QueueData struct {
	Items   []QueueItem
	Clauses []news.PolicyClause
	Mode    news.SiteCommentMode
	Error   string
	// Filters are the saved views; Filter is the one shown (-1: all).
	Filters  []news.QueueFilter
	Filter   int
	Sections []news.Section
	Stories  []news.Story
}

func (a *CommentsAdmin) Queue(w http.ResponseWriter, r *http.Request) {
	set := a.svc.Settings()
	fi := -1
	if v := r.URL.Query().Get("filter"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n >= len(set.QueueFilters) {
			a.UI.Error(w, r, news.NotFound("saved filter"))
			return
		}
		fi = n
	}
	limit := 100
	if fi >= 0 {
		limit = 500 // filtered in Go: read more to fill the page
	}
	items, err := a.svc.Store().ModerationQueue(r.Context(), limit, 0)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	if fi >= 0 {
		if items, err = a.filterQueue(r, items, set.QueueFilters[fi]); err != nil {
			a.UI.Error(w, r, err)
			return
		}
	}
	secs, err := a.svc.Store().ListSections(r.Context())
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	q := make([]QueueItem, len(items))
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.Comment.ID
	}
	decisions, err := a.svc.Store().CommentDecisions(r.Context(), ids)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	verdicts := map[int64]comments.Verdict{}
	for i, it := range items {
		q[i] = QueueItem{ModerationQueueItem: it, Suggested: suggestClause(it), Decision: decisions[it.Comment.ID]}
		v, ok := verdicts[it.Comment.ArticleID]
		if !ok {
			if v, err = a.svc.Verdict(r.Context(), it.Comment.ArticleID); err != nil {
				a.UI.Error(w, r, err)
				return
			}
			verdicts[it.Comment.ArticleID] = v
		}
		if v.Matched {
			q[i].Rule = v.Rule
		}
	}
	stories, err := a.svc.Store().ListStories(r.Context(), news.StoryQuery{OpenOnly: true, Limit: 200})
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.UI.Render(w, r, "comments_queue", QueueData{Items: q, Clauses: a.svc.Policy().Clauses(), Mode: set.Mode, Filters: set.QueueFilters, Filter: fi, Sections: secs, Stories: stories})
}

func formID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.NotFound("comment")
	}
	return id, nil
}

func (a *CommentsAdmin) Moderate(w http.ResponseWriter, r *http.Request) {
	id, err := formID(r)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	action := r.PostFormValue("action")
	if err := a.svc.Moderate(r.Context(), a.Actor(r), id, action, r.PostFormValue("clause"), r.PostFormValue("note")); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments", "Comment "+strconv.FormatInt(id, 10)+": "+action)
}

// ReadersData is the data of comments_readers.html.
type ReadersData struct {
	Readers []news.Reader
	Clauses []news.PolicyClause
	Now     time.Time
}

func (a *CommentsAdmin) Readers(w http.ResponseWriter, r *http.Request) {
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	list, err := a.svc.Store().ListReaders(r.Context(), 100, max(0, off))
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.UI.Render(w, r, "comments_readers", ReadersData{Readers: list, Clauses: a.svc.Policy().Clauses(), Now: a.svc.Now()})
}

func (a *CommentsAdmin) Ban(w http.ResponseWriter, r *http.Request) {
	id, err := formID(r)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	kind := r.PostFormValue("kind")
	days, _ := strconv.ParseFloat(r.PostFormValue("days"), 64)
	if kind != "lift" && (days <= 0 || days > 3650) {
		a.UI.Error(w, r, news.Invalid("days", "a ban lasts from a fraction of a day up to 3650 days"))
		return
	}
	var d time.Duration
	if kind != "lift" {
		d = time.Duration(days * float64(24*time.Hour))
	}
	if err := a.svc.Ban(r.Context(), a.Actor(r), id, d, kind == "shadow", r.PostFormValue("clause"), r.PostFormValue("note")); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments/readers", "Reader "+strconv.FormatInt(id, 10)+": "+kind)
}

// SettingsData is the data of comments_settings.html.
type SettingsData struct {
	S                 news.CommentSettings
	Words, Substrings string
	Clauses           []news.PolicyClause
}

func (a *CommentsAdmin) Settings(w http.ResponseWriter, r *http.Request) {
	s := a.svc.Settings()
	a.UI.Render(w, r, "comments_settings", SettingsData{S: s, Words: strings.Join(s.BannedWords, "\n"), Substrings: strings.Join(s.BannedSubstrings, "\n"), Clauses: a.svc.Policy().Clauses()})
}

func (a *CommentsAdmin) SaveSettings(w http.ResponseWriter, r *http.Request) {
	s := a.svc.Settings()
	f := r.PostFormValue
	s.Mode = news.SiteCommentMode(f("mode"))
	s.BannedWords = comments.ParseWordList(f("banned_words"))
	s.BannedSubstrings = comments.ParseWordList(f("banned_substrings"))
	s.HoldFirstComment = f("hold_first_comment") == "on"
	s.PublicHistory = f("public_history") == "on"
	ints := map[string]*int{"auto_hold_reports": &s.AutoHoldReports, "max_links": &s.MaxLinks, "new_account_minutes": &s.NewAccountMinutes,
		"new_account_per_hour": &s.NewAccountPerHour, "repeat_window_minutes": &s.RepeatWindowMin, "per_reader_burst": &s.PerReaderBurst, "per_ip_burst": &s.PerIPBurst}
	for k, p := range ints {
		if v := f(k); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 100000 {
				a.UI.Error(w, r, news.Invalid(k, "%s must be a whole number from 0", strings.ReplaceAll(k, "_", " ")))
				return
			}
			*p = n
		}
	}
	floats := map[string]*float64{"per_reader_per_minute": &s.PerReaderPerMinute, "per_ip_per_minute": &s.PerIPPerMinute}
	for k, p := range floats {
		if v := f(k); v != "" {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n < 0 || n > 100000 {
				a.UI.Error(w, r, news.Invalid(k, "%s must be a number from 0", strings.ReplaceAll(k, "_", " ")))
				return
			}
			*p = n
		}
	}
	for k, p := range map[string]*string{"banned_clause": &s.BannedClause, "spam_clause": &s.SpamClause, "hold_clause": &s.HoldClause} {
		if v := f(k); v != "" {
			if _, ok := a.svc.Policy().Clause(v); !ok {
				a.UI.Error(w, r, news.Invalid(k, "clause %s is not in the policy", v))
				return
			}
			*p = v
		}
	}
	if err := a.svc.SaveSettings(r.Context(), a.Actor(r), s); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments/settings", "Settings saved")
}

func (a *CommentsAdmin) ArticleMode(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PostFormValue("article_id"), 10, 64)
	if err != nil || id <= 0 {
		a.UI.Error(w, r, news.Invalid("article_id", "give the article's number"))
		return
	}
	if err := a.svc.SetArticleMode(r.Context(), a.Actor(r), id, news.ArticleCommentMode(r.PostFormValue("mode"))); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	back := "/admin/comments/settings"
	if ret := r.PostFormValue("return"); strings.HasPrefix(ret, "/admin/") && !strings.HasPrefix(ret, "//") {
		back = ret
	}
	a.done(w, r, back, "Comments on article "+strconv.FormatInt(id, 10)+": "+r.PostFormValue("mode"))
}

// LogData is the data of comments_log.html.
type LogData struct {
	Entries []news.ModerationEntry
	Offset  int
	Next    int
}

func (a *CommentsAdmin) Log(w http.ResponseWriter, r *http.Request) {
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	off = max(0, off)
	list, err := a.svc.Store().ModerationLog(r.Context(), 100, off)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	d := LogData{Entries: list, Offset: off}
	if len(list) == 100 {
		d.Next = off + 100
	}
	a.UI.Render(w, r, "comments_log", d)
}

// PolicyData is the data of comments_policy_edit.html.
type PolicyData struct {
	Current  news.PolicyVersion
	Versions []news.PolicyVersion
}

func (a *CommentsAdmin) PolicyForm(w http.ResponseWriter, r *http.Request) {
	vs, err := a.svc.Store().PolicyVersions(r.Context())
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.UI.Render(w, r, "comments_policy_edit", PolicyData{Current: a.svc.Policy(), Versions: vs})
}

func (a *CommentsAdmin) SavePolicy(w http.ResponseWriter, r *http.Request) {
	p, err := a.svc.SavePolicy(r.Context(), a.Actor(r), r.PostFormValue("body"), r.PostFormValue("note"))
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments/policy", "Policy version "+strconv.Itoa(p.Version)+" published")
}

// ExportedComment is one comment in an export.
type ExportedComment struct {
	ID         int64      `json:"id"`
	ArticleID  int64      `json:"article_id"`
	ParentID   int64      `json:"parent_id,omitempty"`
	ReaderID   int64      `json:"reader_id,omitempty"`
	Author     string     `json:"author"`
	ReplyTo    string     `json:"reply_to,omitempty"`
	Body       string     `json:"body"`
	Status     string     `json:"status"`
	Clause     string     `json:"clause,omitempty"`
	Shadow     bool       `json:"shadow,omitempty"`
	Recommends int        `json:"recommends"`
	Reports    int        `json:"reports"`
	CreatedAt  time.Time  `json:"created_at"`
	EditedAt   *time.Time `json:"edited_at,omitempty"`
	ExternalID string     `json:"external_id,omitempty"`
}

// Export writes every comment of the site or one article as JSON.
func (a *CommentsAdmin) Export(w http.ResponseWriter, r *http.Request) {
	var articleID int64
	if v := r.URL.Query().Get("article_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			a.UI.Error(w, r, news.Invalid("article_id", "article_id must be an article number"))
			return
		}
		articleID = id
	}
	list, err := a.svc.Store().ExportComments(r.Context(), articleID)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	out := struct {
		ExportedAt time.Time         `json:"exported_at"`
		ArticleID  int64             `json:"article_id,omitempty"`
		Count      int               `json:"count"`
		Comments   []ExportedComment `json:"comments"`
	}{ExportedAt: a.svc.Now().UTC(), ArticleID: articleID, Count: len(list), Comments: make([]ExportedComment, 0, len(list))}
	for _, c := range list {
		e := ExportedComment{ID: c.ID, ArticleID: c.ArticleID, ParentID: c.ParentID, ReaderID: c.ReaderID, Author: c.AuthorName, ReplyTo: c.ReplyTo,
			Body: c.Body, Status: string(c.Status), Clause: c.Clause, Shadow: c.Shadow, Recommends: c.Recommends, Reports: c.Reports,
			CreatedAt: c.CreatedAt, ExternalID: c.ExternalID}
		if c.Edited {
			t := c.EditedAt
			e.EditedAt = &t
		}
		out.Comments = append(out.Comments, e)
	}
	name := "comments.json"
	if articleID > 0 {
		name = "comments-article-" + strconv.FormatInt(articleID, 10) + ".json"
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}
