package newsroom

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"byline/internal/news"
)

// Bulk applies one decision to the comments ticked in the queue; it is
// refused, changing nothing, without a clause.
func (a *CommentsAdmin) Bulk(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		a.UI.Error(w, r, news.Invalid("form", "the form could not be read"))
		return
	}
	var ids []int64
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			a.UI.Error(w, r, news.Invalid("id", "unknown comment"))
			return
		}
		ids = append(ids, id)
	}
	action := r.PostFormValue("action")
	n, err := a.svc.BulkModerate(r.Context(), a.Actor(r), ids, action, r.PostFormValue("clause"), r.PostFormValue("note"))
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments", strconv.Itoa(n)+" comments: "+action)
}

// AppealsData is the data of comments_appeals.html.
type AppealsData struct {
	Open    []AppealRow
	Decided []AppealRow
	Me      string
}

// AppealRow is an appeal with the decision it contests.
type AppealRow struct {
	news.Appeal
	Decision news.ModerationEntry
	Comment  news.Comment
	// Own: the signed-in moderator made the decision and may not review it.
	Own bool
}

// Appeals lists open appeals (to review) and the latest decided ones.
func (a *CommentsAdmin) Appeals(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st := a.svc.Store()
	me := a.Actor(r)
	d := AppealsData{Me: me}
	load := func(status news.AppealStatus) ([]AppealRow, error) {
		list, err := st.Appeals(ctx, status, 100, 0)
		if err != nil {
			return nil, err
		}
		var rows []AppealRow
		for _, ap := range list {
			row := AppealRow{Appeal: ap}
			if row.Decision, err = st.DecisionByID(ctx, ap.DecisionID); err != nil {
				return nil, err
			}
			row.Own = row.Decision.Actor == me
			if ap.CommentID != 0 {
				row.Comment, _ = st.CommentByID(ctx, ap.CommentID)
			}
			rows = append(rows, row)
		}
		return rows, nil
	}
	var err error
	if d.Open, err = load(news.AppealOpen); err == nil {
		var up, rev []AppealRow
		if up, err = load(news.AppealUpheld); err == nil {
			rev, err = load(news.AppealReversed)
			d.Decided = append(up, rev...)
		}
	}
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.UI.Render(w, r, "comments_appeals", d)
}

// DecideAppeal upholds or reverses the decision an appeal contests.
func (a *CommentsAdmin) DecideAppeal(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "appeal")
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	outcome := news.AppealStatus(r.PostFormValue("outcome"))
	if err := a.svc.DecideAppeal(r.Context(), a.Actor(r), id, outcome, r.PostFormValue("reply")); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments/appeals", "Appeal "+strconv.FormatInt(id, 10)+": "+string(outcome))
}

// Statement is a decision as the DSA Transparency Database names its
// fields (a statement of reasons): no personal data — no names, no
// reader ids, no comment text.
type Statement struct {
	PUID                           string   `json:"puid"`
	DecisionVisibility             []string `json:"decision_visibility,omitempty"`
	DecisionVisibilityOther        string   `json:"decision_visibility_other,omitempty"`
	DecisionAccount                string   `json:"decision_account,omitempty"`
	AccountType                    string   `json:"account_type"`
	DecisionGround                 string   `json:"decision_ground"`
	IncompatibleContentGround      string   `json:"incompatible_content_ground"`
	IncompatibleContentExplanation string   `json:"incompatible_content_explanation"`
	IncompatibleContentIllegal     string   `json:"incompatible_content_illegal"`
	ContentType                    []string `json:"content_type"`
	Category                       string   `json:"category"`
	DecisionFacts                  string   `json:"decision_facts"`
	SourceType                     string   `json:"source_type"`
	AutomatedDetection             string   `json:"automated_detection"`
	AutomatedDecision              string   `json:"automated_decision"`
	ApplicationDate                string   `json:"application_date"`
	EndDate                        string   `json:"end_date,omitempty"`
	ContentDate                    string   `json:"content_date,omitempty"`
	URL                            string   `json:"url,omitempty"`
	// Byline's own: the action, the policy version and rule version, and
	// the decision an appeal outcome concerns.
	Action        string `json:"byline_action"`
	PolicyVersion int    `json:"byline_policy_version"`
	RuleID        int64  `json:"byline_rule_id,omitempty"`
	RuleVersion   int    `json:"byline_rule_version,omitempty"`
	Ref           string `json:"byline_ref,omitempty"`
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// ExportDecisions writes the decisions of a period (?from=, ?to=,
// YYYY-MM-DD in the paper's zone; default: the last 30 days) as DSA
// statements of reasons.
func (a *CommentsAdmin) ExportDecisions(w http.ResponseWriter, r *http.Request) {
	loc := a.UI.d.Config.Location
	now := a.svc.Now()
	to := now.Add(time.Second)
	from := now.AddDate(0, 0, -30)
	for k, p := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(k); v != "" {
			t, err := time.ParseInLocation("2006-01-02", v, loc)
			if err != nil {
				a.UI.Error(w, r, news.Invalid(k, "%s is a date written YYYY-MM-DD", k))
				return
			}
			if k == "to" {
				t = t.AddDate(0, 0, 1) // through the end of that day
			}
			*p = t
		}
	}
	if !from.Before(to) {
		a.UI.Error(w, r, news.Invalid("to", "the period ends before it starts"))
		return
	}
	list, err := a.svc.Store().Decisions(r.Context(), from, to, 100000)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	pol := map[int]news.PolicyVersion{}
	created := map[int64]time.Time{}
	out := struct {
		ExportedAt time.Time   `json:"exported_at"`
		From       time.Time   `json:"from"`
		To         time.Time   `json:"to"`
		Count      int         `json:"count"`
		Statements []Statement `json:"statements"`
	}{ExportedAt: now.UTC(), From: from.UTC(), To: to.UTC(), Count: len(list), Statements: make([]Statement, 0, len(list))}
	for _, e := range list {
		p, ok := pol[e.PolicyVersion]
		if !ok {
			p, _ = a.svc.Store().PolicyVersionByNumber(r.Context(), e.PolicyVersion)
			pol[e.PolicyVersion] = p
		}
		ground := "Standards Board Policy, version " + strconv.Itoa(e.PolicyVersion) + ", clause " + e.Clause
		if cl, ok := p.Clause(e.Clause); ok {
			ground += " (" + cl.Title + ")"
		}
		st := Statement{PUID: e.DecisionID, AccountType: "ACCOUNT_TYPE_PRIVATE", DecisionGround: "DECISION_GROUND_INCOMPATIBLE_CONTENT",
			IncompatibleContentGround: ground, IncompatibleContentExplanation: e.Note, IncompatibleContentIllegal: "No",
			ContentType: []string{"CONTENT_TYPE_TEXT"}, Category: "STATEMENT_CATEGORY_VIOLATION_TOS", DecisionFacts: e.Note,
			SourceType: "SOURCE_VOLUNTARY", AutomatedDetection: yesNo(e.Automatic), AutomatedDecision: yesNo(e.Automatic),
			ApplicationDate: e.CreatedAt.In(loc).Format("2006-01-02"), Action: e.Action, PolicyVersion: e.PolicyVersion,
			RuleID: e.RuleID, RuleVersion: e.RuleVersion, Ref: e.Ref}
		switch e.Action {
		case "ban", "shadow-ban":
			st.DecisionAccount = "DECISION_ACCOUNT_SUSPENDED"
		case "hold":
			st.DecisionVisibility = []string{"DECISION_VISIBILITY_OTHER"}
			st.DecisionVisibilityOther = "Held for a moderator before publication"
		case "uphold", "reverse":
			st.DecisionVisibility = []string{"DECISION_VISIBILITY_OTHER"}
			st.DecisionVisibilityOther = "Outcome of an appeal (" + e.Action + ") of decision " + e.Ref
		default:
			st.DecisionVisibility = []string{"DECISION_VISIBILITY_CONTENT_REMOVED"}
		}
		if e.CommentID != 0 {
			t, ok := created[e.CommentID]
			if !ok {
				c, err := a.svc.Store().CommentByID(r.Context(), e.CommentID)
				if err == nil {
					t = c.CreatedAt
				}
				created[e.CommentID] = t
			}
			if !t.IsZero() {
				st.ContentDate = t.In(loc).Format("2006-01-02")
			}
			if e.ArticleID != 0 {
				st.URL = a.baseURL + "/article/" + strconv.FormatInt(e.ArticleID, 10) + "#comment-" + strconv.FormatInt(e.CommentID, 10)
			}
		}
		out.Statements = append(out.Statements, st)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="decisions.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}
