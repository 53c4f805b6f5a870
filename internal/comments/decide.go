package comments

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

// newDecisionID is a decision's public id: random, never reused.
func newDecisionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40 // a version 4 UUID
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// statement completes a decision's statement of reasons: a unique id,
// the policy version in force, automatic or not (the system's). It
// refuses a decision without a clause of the current policy, or without
// its facts — on every path, automatic ones included, before anything
// is changed.
func (s *Service) statement(e *news.ModerationEntry) error {
	e.Clause = strings.TrimSpace(e.Clause)
	pol := s.Policy()
	if _, ok := pol.Clause(e.Clause); !ok {
		if e.Clause == "" {
			return news.Invalid("clause", "name the clause of the Standards Board Policy that this decision applies")
		}
		return news.Invalid("clause", "clause %s is not in the Standards Board Policy", e.Clause)
	}
	e.DecisionID = newDecisionID()
	e.PolicyVersion = pol.Version
	e.Automatic = e.Actor == "system"
	e.Note = strings.TrimSpace(e.Note)
	if e.CreatedAt.IsZero() {
		e.CreatedAt = s.now()
	}
	return e.ValidateDecision()
}

// Reason is a decision as its subject sees it.
type Reason struct {
	DecisionID string    `json:"decision_id"`
	Action     string    `json:"action"`
	Clause     string    `json:"clause"`
	Policy     int       `json:"policy_version"`
	Facts      string    `json:"facts"`
	Automatic  bool      `json:"automatic"`
	At         time.Time `json:"at"`
	// AppealUntil: the end of the six months in which the decision can
	// be appealed (nil once appealed, or for holds, which a moderator
	// decides anyway).
	AppealUntil *time.Time  `json:"appeal_until,omitempty"`
	Appeal      *AppealView `json:"appeal,omitempty"`
}

// AppealView is an appeal as the commenter sees it.
type AppealView struct {
	Status string `json:"status"`
	Reply  string `json:"reply,omitempty"`
}

// Appealable reports whether a decision of this action can be appealed
// (a hold is a wait for a moderator, not a decision against anyone).
func Appealable(action string) bool {
	switch action {
	case "reject", "remove", "delete", "ban", "shadow-ban":
		return true
	}
	return false
}

// BulkModerate applies one decision to several comments. The clause is
// checked once before any comment changes, so a bulk decision without
// one changes nothing; each comment gets its own decision and id.
func (s *Service) BulkModerate(ctx context.Context, actor string, ids []int64, action, clause, note string) (int, error) {
	if len(ids) == 0 {
		return 0, news.Invalid("ids", "choose the comments this decision applies to")
	}
	if len(ids) > 200 {
		return 0, news.Invalid("ids", "decide on at most 200 comments at once")
	}
	switch action {
	case ActReject, ActRemove, ActDelete:
		check := news.ModerationEntry{Actor: actor, Action: action, Clause: clause, Note: "check"}
		if err := s.statement(&check); err != nil {
			return 0, err
		}
	case ActApprove:
	default:
		return 0, news.Invalid("action", "a bulk decision approves, rejects or removes")
	}
	n := 0
	for _, id := range ids {
		if err := s.Moderate(ctx, actor, id, action, clause, note); err != nil {
			return n, fmt.Errorf("comment %d: %w", id, err)
		}
		n++
	}
	return n, nil
}

// Reasons gives, for each of a reader's comments, the latest decision on
// it as the reader sees it, with the appeal and its time limit.
func (s *Service) Reasons(ctx context.Context, readerID int64, commentIDs []int64) (map[int64]Reason, error) {
	out := map[int64]Reason{}
	if len(commentIDs) == 0 {
		return out, nil
	}
	ds, err := s.store.CommentDecisions(ctx, commentIDs)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return out, nil
	}
	appeals, err := s.store.ReaderAppeals(ctx, readerID)
	if err != nil {
		return nil, err
	}
	byDecision := map[string]news.Appeal{}
	for _, a := range appeals {
		byDecision[a.DecisionID] = a
	}
	now := s.now()
	for id, d := range ds {
		if d.ReaderID != readerID {
			continue
		}
		if (d.Action == "reverse" || d.Action == "uphold") && d.Ref != "" {
			// The latest word is an appeal's outcome: the writer reads the
			// original decision with the appeal and its reply.
			if orig, err := s.store.DecisionByID(ctx, d.Ref); err == nil {
				d = orig
			}
		}
		r := Reason{DecisionID: d.DecisionID, Action: d.Action, Clause: d.Clause, Policy: d.PolicyVersion, Facts: d.Note, Automatic: d.Automatic, At: d.CreatedAt}
		if a, ok := byDecision[d.DecisionID]; ok {
			r.Appeal = &AppealView{Status: string(a.Status), Reply: a.Reply}
		} else if Appealable(d.Action) {
			until := d.CreatedAt.Add(news.AppealWindow)
			if now.Before(until) {
				r.AppealUntil = &until
			}
		}
		out[id] = r
	}
	return out, nil
}

// Appeal records a reader's appeal of the latest decision on their own
// comment, or (commentID 0) of the ban that bars them from commenting,
// within six months of it.
func (s *Service) Appeal(ctx context.Context, r news.Reader, commentID int64, reason string) (news.Appeal, error) {
	var d news.ModerationEntry
	var articleID int64
	note := "The writer appealed the decision."
	if commentID == 0 {
		if !r.Banned(s.now()) {
			return news.Appeal{}, news.Errorf(news.KindConflict, "you are not barred from commenting; there is no ban to appeal")
		}
		var err error
		d, err = s.store.ReaderBanDecision(ctx, r.ID)
		if err != nil && !news.IsNotFound(err) {
			return news.Appeal{}, err
		}
		if err != nil || d.Action != "ban" || d.DecisionID == "" {
			return news.Appeal{}, news.Errorf(news.KindConflict, "there is no decision against you to appeal")
		}
		note = "The reader appealed the ban."
	} else {
		c, err := s.own(ctx, r, commentID)
		if err != nil {
			return news.Appeal{}, err
		}
		ds, err := s.store.CommentDecisions(ctx, []int64{commentID})
		if err != nil {
			return news.Appeal{}, err
		}
		var ok bool
		d, ok = ds[commentID]
		if !ok || !Appealable(d.Action) || (c.Status != news.CommentRemoved && c.Status != news.CommentRejected) {
			return news.Appeal{}, news.Errorf(news.KindConflict, "there is no decision against this comment to appeal")
		}
		articleID = c.ArticleID
	}
	if s.now().After(d.CreatedAt.Add(news.AppealWindow)) {
		return news.Appeal{}, news.Errorf(news.KindForbidden, "decisions can be appealed for six months; this one was made on %s", d.CreatedAt.UTC().Format("2006-01-02"))
	}
	reason, _ = NormalizeBody(reason)
	a := news.Appeal{DecisionID: d.DecisionID, CommentID: commentID, ReaderID: r.ID, Reason: reason, CreatedAt: s.now()}
	e := &news.ModerationEntry{Actor: fmt.Sprintf("reader:%d", r.ID), Action: "appeal", CommentID: commentID, ReaderID: r.ID, ArticleID: articleID,
		Clause: d.Clause, Note: note, Ref: d.DecisionID, CreatedAt: s.now()}
	if err := s.store.CreateAppeal(ctx, &a, e); err != nil {
		return a, err
	}
	return a, nil
}

// BanReason is the reader's current ban as they see it: its statement of
// reasons with the appeal or the time left to appeal (nil when the
// reader is not banned).
func (s *Service) BanReason(ctx context.Context, r news.Reader) (*Reason, error) {
	if !r.Banned(s.now()) {
		return nil, nil
	}
	d, err := s.store.ReaderBanDecision(ctx, r.ID)
	if news.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if d.Action != "ban" || d.DecisionID == "" {
		return nil, nil
	}
	rs := &Reason{DecisionID: d.DecisionID, Action: d.Action, Clause: d.Clause, Policy: d.PolicyVersion, Facts: d.Note, Automatic: d.Automatic, At: d.CreatedAt}
	appeals, err := s.store.ReaderAppeals(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range appeals {
		if a.DecisionID == d.DecisionID {
			rs.Appeal = &AppealView{Status: string(a.Status), Reply: a.Reply}
			return rs, nil
		}
	}
	if until := d.CreatedAt.Add(news.AppealWindow); s.now().Before(until) {
		rs.AppealUntil = &until
	}
	return rs, nil
}

// DecideAppeal closes an appeal: upheld (the decision stands) or
// reversed (the comment is published again). A moderator may not review
// their own decision; the reply gives the reasons.
func (s *Service) DecideAppeal(ctx context.Context, reviewer string, appealID int64, outcome news.AppealStatus, reply string) error {
	a, err := s.store.AppealByID(ctx, appealID)
	if err != nil {
		return err
	}
	d, err := s.store.DecisionByID(ctx, a.DecisionID)
	if err != nil {
		return err
	}
	if reviewer == "" || strings.EqualFold(reviewer, d.Actor) {
		return news.Errorf(news.KindForbidden, "an appeal is reviewed by a moderator other than the one who decided; ask a colleague")
	}
	reply = strings.TrimSpace(reply)
	if reply == "" {
		return news.Invalid("reply", "give the writer the reasons for the outcome")
	}
	if len([]rune(reply)) > 2000 {
		return news.Invalid("reply", "a reply has at most 2000 characters")
	}
	action := "uphold"
	if outcome == news.AppealReversed {
		action = "reverse"
	} else if outcome != news.AppealUpheld {
		return news.Invalid("outcome", "an appeal is upheld or reversed")
	}
	e := &news.ModerationEntry{Actor: reviewer, Action: action, CommentID: a.CommentID, ReaderID: a.ReaderID, ArticleID: d.ArticleID,
		Clause: d.Clause, Note: reply, Ref: d.DecisionID}
	if err := s.statement(e); err != nil {
		// The original clause may have left the policy since: the review
		// still cites it as applied.
		if news.KindOf(err) != news.KindInvalid || e.Clause == "" {
			return err
		}
		e.DecisionID, e.PolicyVersion, e.Automatic, e.CreatedAt = newDecisionID(), d.PolicyVersion, false, s.now()
	}
	if err := s.withNotice(ctx, e, nil, time.Time{}); err != nil {
		return err
	}
	if err := s.store.DecideAppeal(ctx, appealID, outcome, reviewer, reply, e); err != nil {
		return err
	}
	s.noticeQueued(e)
	// A reversal restored the comment, or lifted the ban, in the same
	// transaction (store.DecideAppeal).
	if outcome == news.AppealReversed && d.ArticleID != 0 {
		s.changed(ctx, d.ArticleID)
	}
	return nil
}

// History is a commenter's public record: how many of their comments
// are published and how many a moderator removed.
type History struct {
	ReaderID  int64
	Name      string
	Since     time.Time
	Published int
	Removed   int
}

// History is the commenter's public record, when the paper shows it
// (Settings.PublicHistory; otherwise, and for unknown readers, not found).
func (s *Service) History(ctx context.Context, readerID int64) (History, error) {
	if !s.Settings().PublicHistory {
		return History{}, news.NotFound("commenter")
	}
	r, err := s.store.ReaderByID(ctx, readerID)
	if err != nil {
		return History{}, err
	}
	n, err := s.store.ReaderCommentCounts(ctx, readerID)
	if err != nil {
		return History{}, err
	}
	return History{ReaderID: r.ID, Name: r.Name, Since: r.CreatedAt, Published: n[news.CommentApproved],
		Removed: n[news.CommentRemoved] + n[news.CommentRejected]}, nil
}

// ProfileURL is a commenter's public history page, or "" when the paper
// does not show histories.
func (s *Service) ProfileURL(readerID int64) string {
	if readerID == 0 || !s.Settings().PublicHistory {
		return ""
	}
	return "/comments/readers/" + itoa(readerID)
}

// LinkAuthors adds profile links to views made from cs (same order,
// replies alike) when the paper shows commenters' histories.
func (s *Service) LinkAuthors(vs []View, cs []news.Comment) {
	if !s.Settings().PublicHistory {
		return
	}
	for i := range vs {
		if i >= len(cs) {
			return
		}
		if vs[i].Author != "" && cs[i].Status != news.CommentDeleted {
			vs[i].AuthorURL = s.ProfileURL(cs[i].ReaderID)
		}
		s.LinkAuthors(vs[i].Replies, cs[i].Replies)
	}
}
