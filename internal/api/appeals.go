package api

import (
	"net/http"
	"strconv"
	"time"

	"byline/internal/auth"
	"byline/internal/news"
	"byline/internal/respond"
)

// Appeals through the Admin API (docs/api-admin.md): an editor's token
// lists the appeals waiting for review, reads one with the decision it
// contests, and decides it — as /admin/comments/appeals does, through
// the same comments.Service.DecideAppeal (a moderator other than the one
// who decided; a reply with the reasons; the reader told by e-mail).

// AppealJSON is an appeal as the Admin API shows it.
type AppealJSON struct {
	ID int64 `json:"id"`
	// Kind: "ban" (the reader appeals a ban) or "comment" (a decision on
	// one of their comments).
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	Reason    string     `json:"reason"`
	ReaderID  int64      `json:"reader_id"`
	CommentID *int64     `json:"comment_id"`
	CreatedAt time.Time  `json:"created_at"`
	DecidedAt *time.Time `json:"decided_at"`
	Reviewer  string     `json:"reviewer,omitempty"`
	Reply     string     `json:"reply,omitempty"`
	// OutcomeID is the decision id of the review itself, once decided.
	OutcomeID string        `json:"outcome_id,omitempty"`
	Decision  *DecisionJSON `json:"decision,omitempty"`
	Comment   *AppealedJSON `json:"comment,omitempty"`
}

// DecisionJSON is the contested decision's statement of reasons.
type DecisionJSON struct {
	DecisionID    string    `json:"decision_id"`
	Action        string    `json:"action"`
	Clause        string    `json:"clause"`
	PolicyVersion int       `json:"policy_version"`
	Facts         string    `json:"facts"`
	Automatic     bool      `json:"automatic"`
	Actor         string    `json:"actor"`
	At            time.Time `json:"at"`
}

// AppealedJSON is the comment a comment appeal is about.
type AppealedJSON struct {
	ID        int64  `json:"id"`
	ArticleID int64  `json:"article_id"`
	Status    string `json:"status"`
	Body      string `json:"body"`
}

// DecideAppealRequest is the body of POST …/appeals/{id}/decide.
type DecideAppealRequest struct {
	Outcome string `json:"outcome"` // upheld or reversed
	Reply   string `json:"reply"`
}

// moderator is the editor (or admin) whose token made the request; it
// answers a refusal itself.
func moderator(w http.ResponseWriter, r *http.Request) (news.StaffUser, bool) {
	commentNoStore(w)
	u, ok := auth.UserFrom(r.Context())
	if !ok || !u.Role.AtLeast(news.RoleEditor) {
		respond.Error(w, r, news.Errorf(news.KindForbidden, "reviewing appeals needs an editor's token"))
		return u, false
	}
	return u, true
}

func appealPathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.NotFound("appeal")
	}
	return id, nil
}

func appealJSON(a news.Appeal) AppealJSON {
	out := AppealJSON{ID: a.ID, Kind: "ban", Status: string(a.Status), Reason: a.Reason, ReaderID: a.ReaderID, CreatedAt: a.CreatedAt,
		DecidedAt: timePtr(a.DecidedAt), Reviewer: a.Reviewer, Reply: a.Reply, OutcomeID: a.OutcomeID}
	if a.CommentID != 0 {
		id := a.CommentID
		out.Kind, out.CommentID = "comment", &id
	}
	return out
}

// withDecision adds the contested decision and the comment.
func (a *CommentsAPI) withDecision(r *http.Request, ap news.Appeal) (AppealJSON, error) {
	out := appealJSON(ap)
	st := a.svc.Store()
	d, err := st.DecisionByID(r.Context(), ap.DecisionID)
	if err != nil {
		return out, err
	}
	out.Decision = &DecisionJSON{DecisionID: d.DecisionID, Action: d.Action, Clause: d.Clause, PolicyVersion: d.PolicyVersion,
		Facts: d.Note, Automatic: d.Automatic, Actor: d.Actor, At: d.CreatedAt}
	if ap.CommentID != 0 {
		c, err := st.CommentByID(r.Context(), ap.CommentID)
		if err != nil && !news.IsNotFound(err) {
			return out, err
		}
		if err == nil {
			out.Comment = &AppealedJSON{ID: c.ID, ArticleID: c.ArticleID, Status: string(c.Status), Body: c.Body}
		}
	}
	return out, nil
}

// AdminAppeals lists appeals, oldest first: ?status= open (the default),
// upheld, reversed or all; ?limit= (1–100, default 50) and ?offset= page
// them (next_offset is set when there are more). Each says its kind (a
// ban's appeal or a comment's).
func (a *CommentsAPI) AdminAppeals(w http.ResponseWriter, r *http.Request) {
	if _, ok := moderator(w, r); !ok {
		return
	}
	q := r.URL.Query()
	var status news.AppealStatus
	switch s := q.Get("status"); s {
	case "", "open":
		status = news.AppealOpen
	case "all":
	case string(news.AppealUpheld), string(news.AppealReversed):
		status = news.AppealStatus(s)
	default:
		respond.Error(w, r, news.Invalid("status", "status is open, upheld, reversed or all"))
		return
	}
	limit, offset := 50, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			respond.Error(w, r, news.Invalid("limit", "limit is a number from 1 to 100"))
			return
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			respond.Error(w, r, news.Invalid("offset", "offset is a number from 0"))
			return
		}
		offset = n
	}
	list, err := a.svc.Store().Appeals(r.Context(), status, limit+1, offset)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Appeals    []AppealJSON `json:"appeals"`
		NextOffset *int         `json:"next_offset"`
	}{Appeals: []AppealJSON{}}
	if len(list) > limit {
		list = list[:limit]
		next := offset + limit
		out.NextOffset = &next
	}
	for _, ap := range list {
		j, err := a.withDecision(r, ap)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		out.Appeals = append(out.Appeals, j)
	}
	respond.JSON(w, http.StatusOK, out)
}

// AdminAppeal shows one appeal with the decision it contests.
func (a *CommentsAPI) AdminAppeal(w http.ResponseWriter, r *http.Request) {
	if _, ok := moderator(w, r); !ok {
		return
	}
	id, err := appealPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	a.writeAppeal(w, r, id)
}

// writeAppeal answers with appeal id as stored now, with the decision it
// contests.
func (a *CommentsAPI) writeAppeal(w http.ResponseWriter, r *http.Request, id int64) {
	ap, err := a.svc.Store().AppealByID(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out, err := a.withDecision(r, ap)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, out)
}

// AdminDecideAppeal upholds or reverses the contested decision with a
// reply giving the reasons: {"outcome": "upheld"|"reversed", "reply": "…"}.
// The token's account may not review its own decision (403); an appeal
// already decided is a 409.
func (a *CommentsAPI) AdminDecideAppeal(w http.ResponseWriter, r *http.Request) {
	u, ok := moderator(w, r)
	if !ok {
		return
	}
	id, err := appealPathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var req DecideAppealRequest
	if err := decodeJSON(r, &req, false); err != nil {
		respond.Error(w, r, err)
		return
	}
	if req.Outcome != string(news.AppealUpheld) && req.Outcome != string(news.AppealReversed) {
		respond.Error(w, r, news.Invalid("outcome", "outcome is upheld or reversed"))
		return
	}
	if err := a.svc.DecideAppeal(r.Context(), u.Email, id, news.AppealStatus(req.Outcome), req.Reply); err != nil {
		respond.Error(w, r, err)
		return
	}
	a.writeAppeal(w, r, id)
}
