package api

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"byline/internal/auth"
	"byline/internal/comments"
	"byline/internal/news"
	"byline/internal/readerauth"
	"byline/internal/respond"
)

// CommentsAPI is the comments JSON API used by comments.js and by any
// client: reading is public; writing needs a reader session and a
// same-site (or non-browser) request.
type CommentsAPI struct {
	svc     *comments.Service
	auth    *readerauth.Auth
	baseURL string
	// Lang picks the reader's language (cookie, then Accept-Language).
	Lang func(r *http.Request) string
}

// NewCommentsAPI builds the API.
func NewCommentsAPI(svc *comments.Service, auth *readerauth.Auth, baseURL string) *CommentsAPI {
	return &CommentsAPI{svc: svc, auth: auth, baseURL: baseURL, Lang: func(*http.Request) string { return "en" }}
}

// maxCommentRequest bounds a comment request body: 250 characters of
// even the widest text fit easily.
const maxCommentRequest = 16 << 10

func commentPathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.NotFound("comment or article")
	}
	return id, nil
}

func commentNoStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }

func (a *CommentsAPI) reader(w http.ResponseWriter, r *http.Request) (news.Reader, bool) {
	rd, ok, err := a.auth.ReaderOrError(r)
	if err != nil {
		respond.Error(w, r, err)
		return rd, false
	}
	if !ok {
		respond.Error(w, r, news.Errorf(news.KindUnauthorized, "please log in with one of the accounts to write comments"))
	}
	return rd, ok
}

// begin reads what every comment action needs, in this order: the
// comment or article id of the path, the signed-in reader, and (when body
// is not nil) the JSON body. It answers a failure itself.
func (a *CommentsAPI) begin(w http.ResponseWriter, r *http.Request, body any) (int64, news.Reader, bool) {
	commentNoStore(w)
	id, err := commentPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return 0, news.Reader{}, false
	}
	rd, ok := a.reader(w, r)
	if !ok {
		return 0, rd, false
	}
	if body != nil {
		if err := decodeCommentJSON(w, r, body); err != nil {
			respond.Error(w, r, err)
			return 0, rd, false
		}
	}
	return id, rd, true
}

// decode reads a small JSON body; junk, oversized bodies and invalid
// UTF-8 get clear errors.
func decodeCommentJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return news.Errorf(news.KindInvalid, "send JSON with Content-Type: application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCommentRequest))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return news.Errorf(news.KindTooLarge, "the request body is too large")
		}
		return news.Errorf(news.KindInvalid, "the request body could not be read")
	}
	// encoding/json would quietly turn invalid bytes into U+FFFD; a
	// comment is refused instead of stored altered.
	if !utf8.Valid(body) {
		return news.Invalid("body", "the request is not valid UTF-8 text")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return news.Errorf(news.KindInvalid, "the request body is not valid JSON")
	}
	return nil
}

func commentClientIP(r *http.Request) string {
	h, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return h
}

// MeResponse is the per-reader part of an article page.
type MeResponse struct {
	Reader      *MeReader               `json:"reader"`
	Lang        string                  `json:"lang"`
	Providers   []readerauth.Link       `json:"providers"`
	Own         []comments.View         `json:"own,omitempty"`
	Recommended []int64                 `json:"recommended,omitempty"`
	Clauses     []news.PolicyClause     `json:"clauses"`
	Policy      int                     `json:"policy_version"`
	Mode        news.ArticleCommentMode `json:"mode,omitempty"`
	// RuleMessage is what a moderation rule on this article tells readers
	// ("comments on court cases are read before they appear").
	RuleMessage string          `json:"rule_message,omitempty"`
	RuleAction  news.RuleAction `json:"rule_action,omitempty"`
	Max         int             `json:"max"`
}

// MeReader is the signed-in reader.
type MeReader struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Provider    string `json:"provider"`
	BannedUntil string `json:"banned_until,omitempty"`
	BanClause   string `json:"ban_clause,omitempty"`
}

func (a *CommentsAPI) Me(w http.ResponseWriter, r *http.Request) {
	commentNoStore(w)
	pol := a.svc.Policy()
	out := MeResponse{Lang: a.Lang(r), Providers: a.auth.Links(), Clauses: pol.Clauses(), Policy: pol.Version, Max: comments.MaxGraphemes}
	for i := range out.Clauses {
		out.Clauses[i].Body = ""
	}
	articleID, _ := strconv.ParseInt(r.URL.Query().Get("article_id"), 10, 64)
	if articleID > 0 {
		m, v, err := a.svc.ArticleMode(r.Context(), articleID)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		out.Mode = m
		if v.Matched && v.Rule.Action != news.RuleOpen {
			// The reader sees why (held, closed), never which rule.
			out.RuleMessage, out.RuleAction = v.Rule.Message, v.Rule.Action
		}
	}
	rd, ok, err := a.auth.ReaderOrError(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if ok {
		out.Reader = &MeReader{ID: rd.ID, Name: rd.Name, Provider: rd.Provider}
		if rd.Banned(a.svc.Now()) {
			out.Reader.BannedUntil, out.Reader.BanClause = rd.BannedUntil.UTC().Format("2006-01-02 15:04 UTC"), rd.BanClause
		}
		if articleID > 0 {
			own, err := a.svc.Store().ReaderCommentsOn(r.Context(), rd.ID, articleID)
			if err != nil {
				respond.Error(w, r, err)
				return
			}
			now := a.svc.Now()
			ids := make([]int64, len(own))
			for i, c := range own {
				ids[i] = c.ID
			}
			reasons, err := a.svc.Reasons(r.Context(), rd.ID, ids)
			if err != nil {
				respond.Error(w, r, err)
				return
			}
			for _, c := range own {
				v := comments.ViewOf(c, rd.ID, now)
				if rs, ok := reasons[c.ID]; ok && !c.Shadow && (c.Status != news.CommentApproved || rs.Appeal != nil) {
					v.Reason = &rs
				}
				out.Own = append(out.Own, v)
			}
			out.Recommended, err = a.svc.Store().ReaderRecommendations(r.Context(), rd.ID, articleID)
			if err != nil {
				respond.Error(w, r, err)
				return
			}
		}
	}
	respond.JSON(w, http.StatusOK, out)
}

// ListResponse is a page of a thread.
type ListResponse struct {
	Comments   []comments.View `json:"comments"`
	Total      int             `json:"total"`
	Count      int             `json:"count"`
	Offset     int             `json:"offset"`
	NextOffset *int            `json:"next_offset"`
	Sort       string          `json:"sort"`
}

func (a *CommentsAPI) List(w http.ResponseWriter, r *http.Request) {
	commentNoStore(w)
	id, err := commentPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	sort := news.CommentSort(q.Get("sort"))
	switch sort {
	case "":
		sort = news.SortNewest
	case news.SortNewest, news.SortOldest, news.SortTop:
	default:
		respond.Error(w, r, news.Invalid("sort", "sort must be newest, oldest or top"))
		return
	}
	offset, limit := 0, comments.PerPage
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 || offset > 1_000_000 {
			respond.Error(w, r, news.Invalid("offset", "offset must be a whole number from 0"))
			return
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 100 {
			respond.Error(w, r, news.Invalid("limit", "limit must be from 1 to 100"))
			return
		}
	}
	tg, err := a.svc.Target(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if !tg.Visible(a.svc.Now()) {
		respond.Error(w, r, news.NotFound("article"))
		return
	}
	out := ListResponse{Comments: []comments.View{}, Offset: offset, Sort: string(sort), Count: tg.CommentCount}
	v, err := a.svc.Verdict(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if comments.EffectiveMode(tg.Mode, v) == news.CommentsHidden {
		respond.JSON(w, http.StatusOK, out)
		return
	}
	p, err := a.svc.Store().ListComments(r.Context(), news.CommentQuery{ArticleID: id, Sort: sort, Limit: limit, Offset: offset})
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var viewer int64
	if rd, ok := a.auth.Reader(r); ok {
		viewer = rd.ID
	}
	now := a.svc.Now()
	for _, c := range p.Comments {
		out.Comments = append(out.Comments, comments.ViewOf(c, viewer, now))
	}
	a.svc.LinkAuthors(out.Comments, p.Comments)
	out.Total = p.Total
	if next := offset + len(p.Comments); next < p.Total {
		out.NextOffset = &next
	}
	respond.JSON(w, http.StatusOK, out)
}

// PostRequest is the body of POST /api/v1/articles/{id}/comments.
type PostRequest struct {
	Body     string `json:"body"`
	ParentID *int64 `json:"parent_id"`
}

func (a *CommentsAPI) Post(w http.ResponseWriter, r *http.Request) {
	var req PostRequest
	id, rd, ok := a.begin(w, r, &req)
	if !ok {
		return
	}
	in := comments.PostInput{ArticleID: id, Body: req.Body, IP: commentClientIP(r)}
	if req.ParentID != nil {
		in.ParentID = *req.ParentID
	}
	c, art, err := a.svc.PostTo(r.Context(), rd, in)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := comments.ViewOf(c, rd.ID, a.svc.Now())
	v.URL = art.URL() + "#comment-" + strconv.FormatInt(c.ID, 10)
	v.Share = comments.ShareFor(v, art.Headline, a.baseURL+art.URL())
	w.Header().Set("Location", "/api/v1/comments/"+strconv.FormatInt(c.ID, 10))
	respond.JSON(w, http.StatusCreated, v)
}

func (a *CommentsAPI) Edit(w http.ResponseWriter, r *http.Request) {
	var req PostRequest
	id, rd, ok := a.begin(w, r, &req)
	if !ok {
		return
	}
	c, err := a.svc.Edit(r.Context(), rd, id, req.Body)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, comments.ViewOf(c, rd.ID, a.svc.Now()))
}

func (a *CommentsAPI) Delete(w http.ResponseWriter, r *http.Request) {
	id, rd, ok := a.begin(w, r, nil)
	if !ok {
		return
	}
	if err := a.svc.Delete(r.Context(), rd, id); err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *CommentsAPI) Recommend(w http.ResponseWriter, r *http.Request) {
	id, rd, ok := a.begin(w, r, nil)
	if !ok {
		return
	}
	n, err := a.svc.Recommend(r.Context(), rd, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, map[string]int{"recommends": n})
}

// ReportRequest is the body of a report.
type ReportRequest struct {
	Clause string `json:"clause"`
	Note   string `json:"note"`
}

func (a *CommentsAPI) Report(w http.ResponseWriter, r *http.Request) {
	var req ReportRequest
	id, rd, ok := a.begin(w, r, &req)
	if !ok {
		return
	}
	if err := a.svc.Report(r.Context(), rd, id, req.Clause, req.Note); err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusAccepted, map[string]string{"status": "reported"})
}

// AppealRequest is the body of POST /api/v1/comments/{id}/appeal.
type AppealRequest struct {
	Reason string `json:"reason"`
}

// Appeal records the writer's appeal of the decision on their comment.
func (a *CommentsAPI) Appeal(w http.ResponseWriter, r *http.Request) {
	var req AppealRequest
	id, rd, ok := a.begin(w, r, &req)
	if !ok {
		return
	}
	ap, err := a.svc.Appeal(r.Context(), rd, id, req.Reason)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, map[string]any{"status": ap.Status, "decision_id": ap.DecisionID})
}

// ModerateRequest is the body of POST /api/v1/admin/comments/{id}/moderate.
type ModerateRequest struct {
	Action string `json:"action"`
	Clause string `json:"clause"`
	Note   string `json:"note"`
}

// AdminModerate applies a moderation decision through the Admin API
// (editors' tokens); like every path, it is refused without a clause.
func (a *CommentsAPI) AdminModerate(w http.ResponseWriter, r *http.Request) {
	commentNoStore(w)
	u, ok := auth.UserFrom(r.Context())
	if !ok || !u.Role.AtLeast(news.RoleEditor) {
		respond.Error(w, r, news.Errorf(news.KindForbidden, "moderating comments needs an editor's token"))
		return
	}
	id, err := commentPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var req ModerateRequest
	if err := decodeCommentJSON(w, r, &req); err != nil {
		respond.Error(w, r, err)
		return
	}
	if err := a.svc.Moderate(r.Context(), u.Email, id, req.Action, req.Clause, req.Note); err != nil {
		respond.Error(w, r, err)
		return
	}
	c, err := a.svc.Store().CommentByID(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, map[string]any{"id": c.ID, "status": c.Status, "clause": c.Clause})
}
