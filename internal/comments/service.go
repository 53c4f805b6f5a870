package comments

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"byline/internal/mail"
	"byline/internal/news"
)

// Store is what the comment service keeps its data in: the engine's
// comment, reader and moderation stores, and articles to check them.
type Store interface {
	news.CommentStore
	news.ReaderStore
	news.ModerationStore
	news.DecisionStore
	news.RuleStore
	news.MailStore
	news.BanStore
	ListSections(ctx context.Context) ([]news.Section, error)
	ListStories(ctx context.Context, q news.StoryQuery) ([]news.Story, error)
	ArticleByID(ctx context.Context, id int64) (news.Article, error)
}

// EditWindow is how long after posting a reader may edit a comment.
const EditWindow = 5 * time.Minute

// Service applies the comment rules. It is safe for concurrent use.
type Service struct {
	store  Store
	notify news.Notifier
	now    func() time.Time
	logger *slog.Logger
	salt   []byte

	byReader *limiter
	byIP     *limiter
	// shared, when set, keeps the rate limits in the database for every
	// server (PostgreSQL); byReader and byIP are then unused.
	shared  news.RateLimitStore
	sweptMu sync.Mutex
	swept   time.Time

	mu       sync.RWMutex
	settings news.CommentSettings
	policy   news.PolicyVersion

	// rules are the moderation rules in force (loaded by Reload,
	// rulesChanged, or Verdict when the database's are of another
	// generation); rulesMu orders their loads; loc is the paper's time
	// zone for their windows.
	rules   atomic.Pointer[RuleSet]
	rulesMu sync.Mutex
	loc     *time.Location

	// mail sends notices of decisions (nil or not configured: none);
	// baseURL and siteName go into them.
	mail     *mail.Outbox
	baseURL  string
	siteName string
}

// Options configure a Service.
type Options struct {
	Notifier news.Notifier
	Now      func() time.Time
	Logger   *slog.Logger
	// SharedLimits keeps the comment rate limits in the database, shared
	// by every server on it; nil keeps them in this process's memory
	// (one server: SQLite).
	SharedLimits news.RateLimitStore
	// Location is the paper's time zone, for rules' time windows (nil:
	// UTC).
	Location *time.Location
	// Mail is the outbox notices of decisions go to (nil: no e-mail);
	// BaseURL and SiteName make their links and sender line.
	Mail     *mail.Outbox
	BaseURL  string
	SiteName string
}

// New loads the settings and the policy (writing the default policy into
// an empty database) and returns the service.
func New(ctx context.Context, st Store, o Options) (*Service, error) {
	s := &Service{store: st, notify: o.Notifier, now: o.Now, logger: o.Logger, shared: o.SharedLimits, loc: o.Location,
		mail: o.Mail, baseURL: strings.TrimRight(o.BaseURL, "/"), siteName: o.SiteName}
	if s.siteName == "" {
		s.siteName = "Byline"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.notify == nil {
		s.notify = news.NotifierFunc(func(context.Context, news.Change) {})
	}
	s.salt = make([]byte, 16)
	rand.Read(s.salt)
	s.byReader, s.byIP = newLimiter(0, 0), newLimiter(0, 0)
	if err := s.Reload(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload reads settings and the current policy again.
func (s *Service) Reload(ctx context.Context) error {
	set, err := s.store.CommentSettings(ctx)
	if err != nil {
		return fmt.Errorf("load comment settings: %w", err)
	}
	p, err := s.store.CurrentPolicy(ctx)
	if news.IsNotFound(err) {
		p = news.PolicyVersion{Body: DefaultPolicy, Note: "First version", Editor: "system"}
		err = s.store.AddPolicyVersion(ctx, &p)
	}
	if err != nil {
		return fmt.Errorf("load comment policy: %w", err)
	}
	s.mu.Lock()
	s.settings, s.policy = set, p
	s.mu.Unlock()
	if err := s.reloadRules(ctx); err != nil {
		return fmt.Errorf("load moderation rules: %w", err)
	}
	return nil
}

// Settings are the moderation settings in force.
func (s *Service) Settings() news.CommentSettings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.settings
}

// Policy is the current Standards Board Policy.
func (s *Service) Policy() news.PolicyVersion {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.policy
}

// Store is the underlying store.
func (s *Service) Store() Store { return s.store }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

func (s *Service) changed(ctx context.Context, articleID int64) {
	s.notify.Notify(ctx, news.Change{Kind: news.ChangeComments, ArticleID: articleID})
}

// HashIP keeps an address out of the database while letting moderators
// see that two comments came from the same place.
func (s *Service) HashIP(ip string) string {
	if ip == "" {
		return ""
	}
	h := sha256.Sum256(append(append([]byte{}, s.salt...), ip...))
	return hex.EncodeToString(h[:8])
}

// CheckWriter refuses a banned reader with the clause and end date.
func (s *Service) CheckWriter(r news.Reader) error {
	now := s.now()
	if r.Banned(now) {
		msg := "you may not comment until " + r.BannedUntil.UTC().Format("2006-01-02 15:04 UTC")
		if r.BanClause != "" {
			msg += " under clause " + r.BanClause + " of the Standards Board Policy"
		}
		return news.Errorf(news.KindForbidden, "%s", msg)
	}
	return nil
}

// PostInput is a new comment.
type PostInput struct {
	ArticleID int64
	ParentID  int64
	Body      string
	IP        string
}

// articleFor loads an article that takes comments (or says why not),
// with the moderation rules' verdict on it now.
func (s *Service) articleFor(ctx context.Context, id int64, writing bool) (news.CommentTarget, Verdict, error) {
	t, err := s.store.CommentTarget(ctx, id)
	if err != nil {
		return t, Verdict{}, err
	}
	if !t.Visible(s.now()) {
		return t, Verdict{}, news.NotFound("article")
	}
	v, err := s.Verdict(ctx, id)
	if err != nil {
		return t, v, err
	}
	mode := EffectiveMode(t.Mode, v)
	why := ""
	if mode != t.Mode && v.Rule.Message != "" {
		why = ": " + v.Rule.Message
	}
	if writing && mode == news.CommentsHidden {
		return t, v, news.Errorf(news.KindForbidden, "comments are switched off for this article%s", why)
	}
	if writing && mode == news.CommentsClosed {
		return t, v, news.Errorf(news.KindForbidden, "comments on this article are closed%s", why)
	}
	t.Mode = mode
	return t, v, nil
}

// Target is the article a comment goes to, for links after posting.
func (s *Service) Target(ctx context.Context, id int64) (news.CommentTarget, error) {
	return s.store.CommentTarget(ctx, id)
}

// Post applies every rule to a new comment and stores it. Held comments
// are stored as pending (the writer sees them as such).
func (s *Service) Post(ctx context.Context, r news.Reader, in PostInput) (news.Comment, error) {
	c, _, err := s.PostTo(ctx, r, in)
	return c, err
}

// PostTo is Post that also returns the article (for links to the new
// comment) without reading it again.
func (s *Service) PostTo(ctx context.Context, r news.Reader, in PostInput) (news.Comment, news.CommentTarget, error) {
	var c news.Comment
	var tg news.CommentTarget
	if err := s.CheckWriter(r); err != nil {
		return c, tg, err
	}
	body, err := NormalizeBody(in.Body)
	if err != nil {
		return c, tg, err
	}
	tg, verdict, err := s.articleFor(ctx, in.ArticleID, true)
	if err != nil {
		return c, tg, err
	}
	set := s.Settings()
	now := s.now()
	if ok, err := s.allow(ctx, s.byReader, fmt.Sprint("r", r.ID), now, set.PerReaderPerMinute, set.PerReaderBurst); err != nil || !ok {
		if err != nil {
			return c, tg, err
		}
		return c, tg, news.Errorf(news.KindTooMany, "you are commenting too fast; please wait a minute and try again")
	}
	if in.IP != "" {
		if ok, err := s.allow(ctx, s.byIP, in.IP, now, set.PerIPPerMinute, set.PerIPBurst); err != nil || !ok {
			if err != nil {
				return c, tg, err
			}
			return c, tg, news.Errorf(news.KindTooMany, "too many comments from your network; please wait a minute and try again")
		}
	}
	c = news.Comment{ArticleID: in.ArticleID, ReaderID: r.ID, AuthorName: r.Name, Body: body, Status: news.CommentApproved,
		Shadow: r.ShadowBanned(now), CreatedAt: now.UTC().Truncate(time.Millisecond), IPHash: s.HashIP(in.IP)}
	if in.ParentID != 0 {
		p, err := s.store.CommentByID(ctx, in.ParentID)
		if err != nil || p.ArticleID != in.ArticleID {
			return c, tg, news.Invalid("parent_id", "the comment you are replying to does not exist")
		}
		if !p.Visible() && p.ReaderID != r.ID {
			return c, tg, news.Invalid("parent_id", "the comment you are replying to is not shown")
		}
		c.ReplyTo = p.AuthorName
		c.ParentID = p.ID
		if p.ParentID != 0 { // one level: answer the thread, name the person
			c.ParentID = p.ParentID
		}
	}
	// Spam and word rules: a refusal for exact repeats, a hold for the rest.
	var holdClause, holdNote string
	var holdRule news.ModRule
	noFault := false
	window := time.Duration(set.RepeatWindowMin) * time.Minute
	newAccount := set.NewAccountMinutes > 0 && set.NewAccountPerHour > 0 && now.Sub(r.CreatedAt) < time.Duration(set.NewAccountMinutes)*time.Minute
	count := 0
	if window > 0 || newAccount {
		recent, err := s.store.RecentComments(ctx, r.ID, now.Add(-max(window, time.Hour)))
		if err != nil {
			return c, tg, err
		}
		for _, rc := range recent {
			if now.Sub(rc.CreatedAt) <= time.Hour {
				count++
			}
			if window > 0 && rc.Body == body && now.Sub(rc.CreatedAt) <= window {
				return c, tg, news.Errorf(news.KindConflict, "you have just posted the same text; repeated comments are not allowed (clause %s)", set.SpamClause)
			}
		}
	}
	if w, ok := BannedMatch(body, set.BannedWords, set.BannedSubstrings); ok {
		holdClause, holdNote = set.BannedClause, fmt.Sprintf("The comment contains a word on the banned list (%q).", w)
	} else if set.MaxLinks >= 0 && CountLinks(body) > set.MaxLinks {
		holdClause, holdNote = set.SpamClause, fmt.Sprintf("The comment has more than %d links.", set.MaxLinks)
	} else if newAccount && count >= set.NewAccountPerHour {
		holdClause, holdNote = set.SpamClause, "A new account posted many comments within an hour."
	} else if set.HoldFirstComment {
		n, err := s.store.CountReaderComments(ctx, r.ID)
		if err != nil {
			return c, tg, err
		}
		if n == 0 {
			holdClause, holdNote, noFault = set.HoldClause, "A reader's first comment is read by a moderator before it appears.", true
		}
	}
	if holdNote == "" && verdict.Matched {
		// A rule on the article's metadata: its clause and version go
		// with the hold.
		switch r := verdict.Rule; {
		case r.Action == news.RulePremoderate,
			r.Action == news.RulePremoderateLinks && CountLinks(body) > 0:
			holdClause, holdNote, holdRule = r.Clause, r.Message, r
		}
	}
	if set.Mode == news.ModeHold && holdNote == "" {
		holdClause, holdNote, noFault = set.HoldClause, "Every comment is read by a moderator before it appears.", true
	}
	var held *news.ModerationEntry
	if holdNote != "" {
		// The hold is a decision with its statement of reasons, made
		// ready (and refused without a clause) before anything is stored.
		held = &news.ModerationEntry{Actor: "system", Action: "hold", ReaderID: r.ID, ArticleID: c.ArticleID, Clause: holdClause, Note: holdNote,
			RuleID: holdRule.ID, RuleVersion: holdRule.Version}
		if err := s.statement(held); err != nil {
			return c, tg, err
		}
		c.Status = news.CommentPending
		if !noFault {
			// A hold for no fault of the comment (first comment, site
			// mode) cites the hold clause in its decision but suggests no
			// clause for a rejection.
			c.Clause = held.Clause
		}
	}
	if held != nil && !noFault {
		// A hold for no fault (every comment, a first comment) is not
		// news worth an e-mail; the page says it.
		if err := s.withNotice(ctx, held, &c, time.Time{}); err != nil {
			return c, tg, err
		}
	}
	// The comment, the decision holding it and its notice are stored
	// together.
	if err := s.store.CreateCommentDecision(ctx, &c, held); err != nil {
		return c, tg, err
	}
	s.noticeQueued(held)
	if c.Visible() {
		s.changed(ctx, c.ArticleID)
	}
	return c, tg, nil
}

func (s *Service) log(ctx context.Context, e *news.ModerationEntry) {
	if err := s.store.AddModerationEntry(ctx, e); err != nil {
		s.logger.ErrorContext(ctx, "moderation log", "err", err)
	}
}

// own loads a comment that belongs to the reader.
func (s *Service) own(ctx context.Context, r news.Reader, id int64) (news.Comment, error) {
	c, err := s.store.CommentByID(ctx, id)
	if err != nil {
		return c, err
	}
	if c.ReaderID != r.ID {
		return c, news.Errorf(news.KindForbidden, "you can change only your own comments")
	}
	return c, nil
}

// Edit changes the text of the reader's own comment within five minutes.
func (s *Service) Edit(ctx context.Context, r news.Reader, id int64, body string) (news.Comment, error) {
	c, err := s.own(ctx, r, id)
	if err != nil {
		return c, err
	}
	if err := s.CheckWriter(r); err != nil {
		return c, err
	}
	if c.Status != news.CommentApproved && c.Status != news.CommentPending {
		return c, news.Errorf(news.KindForbidden, "this comment can no longer be edited")
	}
	if s.now().Sub(c.CreatedAt) > EditWindow {
		return c, news.Errorf(news.KindForbidden, "comments can be edited for %d minutes after posting", int(EditWindow.Minutes()))
	}
	body, err = NormalizeBody(body)
	if err != nil {
		return c, err
	}
	if err := s.store.EditComment(ctx, id, body, s.now()); err != nil {
		return c, err
	}
	set := s.Settings()
	if w, ok := BannedMatch(body, set.BannedWords, set.BannedSubstrings); ok && c.Status == news.CommentApproved {
		e := &news.ModerationEntry{Actor: "system", Action: "hold", CommentID: id, ReaderID: r.ID, ArticleID: c.ArticleID, Clause: set.BannedClause,
			Note: fmt.Sprintf("After an edit the comment contains a word on the banned list (%q).", w)}
		if err := s.statement(e); err != nil {
			return c, err
		}
		c.Body = body
		if err := s.withNotice(ctx, e, &c, time.Time{}); err != nil {
			return c, err
		}
		if err := s.store.DecideComment(ctx, id, news.CommentPending, e.Clause, e); err != nil {
			return c, err
		}
		s.noticeQueued(e)
	}
	s.changed(ctx, c.ArticleID)
	return s.store.CommentByID(ctx, id)
}

// Delete deletes the reader's own comment (a stub stays when it has
// replies).
func (s *Service) Delete(ctx context.Context, r news.Reader, id int64) error {
	c, err := s.own(ctx, r, id)
	if err != nil {
		return err
	}
	if c.Status == news.CommentDeleted {
		return nil
	}
	if err := s.store.SetCommentStatus(ctx, id, news.CommentDeleted, ""); err != nil {
		return err
	}
	s.changed(ctx, c.ArticleID)
	return nil
}

// Recommend records the reader's recommendation (once).
func (s *Service) Recommend(ctx context.Context, r news.Reader, id int64) (int, error) {
	c, err := s.store.CommentByID(ctx, id)
	if err != nil {
		return 0, err
	}
	if !c.Visible() {
		return 0, news.NotFound("comment")
	}
	if c.ReaderID == r.ID {
		return 0, news.Errorf(news.KindForbidden, "you cannot recommend your own comment")
	}
	n, err := s.store.RecommendComment(ctx, id, r.ID)
	if err != nil {
		return n, err
	}
	s.changed(ctx, c.ArticleID)
	return n, nil
}

// Report records a report under a clause of the current policy; enough
// reports send the comment back to the queue.
func (s *Service) Report(ctx context.Context, r news.Reader, id int64, clause, note string) error {
	c, err := s.store.CommentByID(ctx, id)
	if err != nil {
		return err
	}
	if !c.Visible() {
		return news.NotFound("comment")
	}
	if c.ReaderID == r.ID {
		return news.Errorf(news.KindForbidden, "you cannot report your own comment")
	}
	if _, ok := s.Policy().Clause(clause); !ok {
		return news.Invalid("clause", "choose the rule of the Standards Board Policy that the comment breaks")
	}
	note, _ = NormalizeBody(note)
	n, err := s.store.ReportComment(ctx, &news.CommentReport{CommentID: id, ReaderID: r.ID, Clause: clause, Note: note})
	if err != nil {
		return err
	}
	if set := s.Settings(); set.AutoHoldReports > 0 && n >= set.AutoHoldReports && c.Status == news.CommentApproved {
		e := &news.ModerationEntry{Actor: "system", Action: "hold", CommentID: id, ReaderID: c.ReaderID, ArticleID: c.ArticleID, Clause: clause,
			Note: fmt.Sprintf("%d readers reported the comment; it waits for a moderator.", n)}
		if err := s.statement(e); err != nil {
			return err
		}
		if err := s.withNotice(ctx, e, &c, time.Time{}); err != nil {
			return err
		}
		// The reports stay open for the moderator: a move to pending
		// does not resolve them.
		if err := s.store.DecideComment(ctx, id, news.CommentPending, clause, e); err != nil {
			return err
		}
		s.noticeQueued(e)
		s.changed(ctx, c.ArticleID)
	}
	return nil
}

// Moderation actions.
const (
	ActApprove = "approve"
	ActReject  = "reject"
	ActRemove  = "remove"
	ActDelete  = "delete"
	ActDismiss = "dismiss" // reports were unfounded: keep the comment
)

// Moderate applies a moderator's decision citing a clause (required for
// every action that takes a comment down).
func (s *Service) Moderate(ctx context.Context, actor string, id int64, action, clause, note string) error {
	c, err := s.store.CommentByID(ctx, id)
	if err != nil {
		return err
	}
	clause = strings.TrimSpace(clause)
	var status news.CommentStatus
	switch action {
	case ActApprove:
		status, clause = news.CommentApproved, ""
	case ActDismiss:
		if err := s.store.ResolveReports(ctx, id); err != nil {
			return err
		}
		s.log(ctx, &news.ModerationEntry{Actor: actor, Action: action, CommentID: id, ReaderID: c.ReaderID, ArticleID: c.ArticleID, Note: note})
		return nil
	case ActReject, ActRemove, ActDelete:
		if _, ok := s.Policy().Clause(clause); !ok {
			return news.Invalid("clause", "name the clause of the Standards Board Policy that this decision applies")
		}
		status = news.CommentRemoved
		if action == ActReject {
			status = news.CommentRejected
		}
	default:
		return news.Invalid("action", "unknown moderation action %q", action)
	}
	if action == ActDelete {
		// A moderator's delete keeps the stub only when others replied.
		status = news.CommentRemoved
	}
	e := &news.ModerationEntry{Actor: actor, Action: action, CommentID: id, ReaderID: c.ReaderID, ArticleID: c.ArticleID, Clause: clause, Note: strings.TrimSpace(note)}
	if status != news.CommentApproved {
		if e.Note == "" {
			cl, _ := s.Policy().Clause(clause)
			e.Note = fmt.Sprintf("A moderator found that the comment breaks clause %s (%s).", clause, cl.Title)
		}
		if err := s.statement(e); err != nil {
			return err
		}
		if err := s.withNotice(ctx, e, &c, time.Time{}); err != nil {
			return err
		}
	}
	// The status and its entry in the log (the decision with its reasons,
	// or the approval), and the decision's notice, change together.
	if err := s.store.DecideComment(ctx, id, status, clause, e); err != nil {
		return err
	}
	s.noticeQueued(e)
	s.changed(ctx, c.ArticleID)
	return nil
}

// Ban bans (or shadow-bans) a reader for a time, citing a clause; a zero
// duration lifts every ban.
func (s *Service) Ban(ctx context.Context, actor string, readerID int64, d time.Duration, shadow bool, clause, note string) error {
	if d > 0 {
		if _, ok := s.Policy().Clause(clause); !ok {
			return news.Invalid("clause", "name the clause of the Standards Board Policy that this ban applies")
		}
	}
	var until, shadowUntil time.Time
	action := "unban"
	if d > 0 {
		end := s.now().Add(d).UTC()
		if shadow {
			shadowUntil, action = end, "shadow-ban"
		} else {
			until, action = end, "ban"
		}
	}
	e := &news.ModerationEntry{Actor: actor, Action: action, ReaderID: readerID, Clause: clause, Note: strings.TrimSpace(note)}
	if d > 0 {
		if e.Note == "" {
			e.Note = fmt.Sprintf("A moderator barred the reader from commenting until %s under clause %s.", s.now().Add(d).UTC().Format("2006-01-02 15:04 UTC"), clause)
		}
		if err := s.statement(e); err != nil {
			return err
		}
	}
	if d > 0 && !shadow {
		// A shadow ban is by its nature not announced.
		if err := s.withNotice(ctx, e, nil, until); err != nil {
			return err
		}
	}
	if err := s.store.DecideBan(ctx, readerID, until, shadow && d > 0, shadowUntil, clause, e); err != nil {
		return err
	}
	s.noticeQueued(e)
	return nil
}

// SetArticleMode switches comments of an article.
func (s *Service) SetArticleMode(ctx context.Context, actor string, articleID int64, m news.ArticleCommentMode) error {
	if err := s.store.SetArticleCommentMode(ctx, articleID, m); err != nil {
		return err
	}
	s.log(ctx, &news.ModerationEntry{Actor: actor, Action: "mode", ArticleID: articleID, Note: string(m)})
	s.changed(ctx, articleID)
	return nil
}

// SaveSettings stores new moderation settings.
func (s *Service) SaveSettings(ctx context.Context, actor string, set news.CommentSettings) error {
	if err := s.store.SaveCommentSettings(ctx, set); err != nil {
		return err
	}
	s.log(ctx, &news.ModerationEntry{Actor: actor, Action: "settings", Note: "mode " + string(set.Mode)})
	if err := s.Reload(ctx); err != nil {
		return err
	}
	// Other servers keep the settings in memory too.
	s.notify.Notify(ctx, news.Change{Kind: news.ChangeSettings})
	return nil
}

// SavePolicy stores a new policy version. Every page links the policy,
// but none shows its text, so no cached page changes.
func (s *Service) SavePolicy(ctx context.Context, actor, body, note string) (news.PolicyVersion, error) {
	p := news.PolicyVersion{Body: strings.ReplaceAll(body, "\r\n", "\n"), Note: strings.TrimSpace(note), Editor: actor}
	// Automatic decisions cite clauses the settings and the rules name; a
	// policy without them would refuse every such decision (and with it
	// the comment), so it is refused first.
	if err := p.Validate(); err != nil {
		return p, err
	}
	set := s.Settings()
	cited := map[string]string{set.BannedClause: "the banned-word rule (Settings)", set.SpamClause: "the spam rules (Settings)", set.HoldClause: "holds for no fault (Settings)"}
	for _, r := range s.Rules().Rules() {
		if r.Clause != "" {
			cited[r.Clause] = "the moderation rule “" + r.Name + "”"
		}
	}
	for n, who := range cited {
		if n == "" {
			continue
		}
		if _, ok := p.Clause(n); !ok {
			return p, news.Invalid("body", "the policy must keep clause %s: %s cites it; change that first", n, who)
		}
	}
	if err := s.store.AddPolicyVersion(ctx, &p); err != nil {
		return p, err
	}
	s.log(ctx, &news.ModerationEntry{Actor: actor, Action: "policy", Note: fmt.Sprintf("version %d: %s", p.Version, p.Note)})
	return p, s.Reload(ctx)
}

// DeleteReader deletes a reader's account and comments (as the policy's
// clause on data says) and refreshes the articles they commented on.
func (s *Service) DeleteReader(ctx context.Context, readerID int64) error {
	mine, err := s.store.ReaderComments(ctx, readerID, 500, 0)
	if err != nil {
		return err
	}
	if err := s.store.DeleteReader(ctx, readerID); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, c := range mine {
		if !seen[c.ArticleID] {
			seen[c.ArticleID] = true
			s.changed(ctx, c.ArticleID)
		}
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
