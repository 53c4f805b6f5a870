// Package editorial is the newsroom's workflow: drafts, review,
// publishing now or on schedule, unpublishing, embargoes, revisions and
// their restore, corrections, and the section and author changes that go
// with them. It holds the rules (who may do what, what a save may
// overwrite) and calls storage; it knows nothing of HTTP. Every change
// readers could see is told to the news.Notifier (so caches refresh) and
// to registered Listeners (webhooks) after it is committed.
package editorial

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"byline/internal/markup"
	"byline/internal/news"
)

// Event types passed to listeners.
const (
	EventPublish   = "publish"
	EventUpdate    = "update"
	EventUnpublish = "unpublish"
)

// Event is a change of a published article.
type Event struct {
	Type    string // "publish", "update" or "unpublish"
	Article news.Article
	At      time.Time
}

// Listener hears of published changes after they are committed (webhooks
// register one). It is called synchronously; slow work belongs in the
// listener's own queue.
type Listener interface {
	ArticleEvent(ctx context.Context, ev Event)
}

// ListenerFunc adapts a function to Listener.
type ListenerFunc func(ctx context.Context, ev Event)

// ArticleEvent calls f.
func (f ListenerFunc) ArticleEvent(ctx context.Context, ev Event) { f(ctx, ev) }

// Deps are the service's parts.
type Deps struct {
	Store    news.Store
	Staff    news.NewsroomStore
	Notifier news.Notifier
	Markup   *markup.Renderer
	Now      func() time.Time
	Logger   *slog.Logger
}

// Service runs the workflow.
type Service struct {
	d         Deps
	mu        sync.RWMutex
	listeners []Listener
	rearm     chan struct{} // wakes RunScheduler to look for the next due time
	next      time.Time     // when RunScheduler next wakes (for tests and metrics)
}

// New builds the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Markup == nil {
		d.Markup = markup.New()
	}
	if d.Notifier == nil {
		d.Notifier = news.NotifierFunc(func(context.Context, news.Change) {})
	}
	return &Service{d: d, rearm: make(chan struct{}, 1)}
}

// AddListener registers a listener for publish, update and unpublish.
func (s *Service) AddListener(l Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, l)
}

// Store is the article store the service writes to.
func (s *Service) Store() news.Store { return s.d.Store }

// held reports whether the outside world must not hear of a yet: its
// embargo has not passed. Its events wait for LiftEmbargoes.
func (s *Service) held(a news.Article) bool { return a.EmbargoUntil.After(s.d.Now()) }

func (s *Service) changed(ctx context.Context, kind string, a news.Article) {
	s.d.Notifier.Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: a.ID})
	s.Rearm()
	if kind == "" {
		return
	}
	if s.held(a) {
		// Webhooks and anything else outside learn of the article when its
		// embargo lifts (RunScheduler), never before.
		s.d.Logger.InfoContext(ctx, "article event held until the embargo ends", "id", a.ID, "event", kind, "embargo_until", a.EmbargoUntil)
		return
	}
	s.mu.RLock()
	ls := append([]Listener(nil), s.listeners...)
	s.mu.RUnlock()
	ev := Event{Type: kind, Article: a, At: s.d.Now().UTC()}
	for _, l := range ls {
		l.ArticleEvent(ctx, ev)
	}
}

// ConflictError is a save refused because someone else saved first. It
// carries their version and the diff from theirs to the refused one.
type ConflictError struct {
	Theirs news.Article
	Mine   news.Article
	Diff   []DiffLine
	err    *news.Error
}

func (e *ConflictError) Error() string { return e.err.Error() }
func (e *ConflictError) Unwrap() error { return e.err }

func forbid(u news.StaffUser, want news.Role, what string) error {
	if u.Role.AtLeast(want) {
		return nil
	}
	return news.Errorf(news.KindForbidden, "a %s may not %s", orNone(u.Role), what)
}

func orNone(r news.Role) string {
	if r == "" {
		return "signed-out user"
	}
	return string(r)
}

// prepare derives stored fields from what the editor wrote. A lead image
// from the media library gets its size and responsive renditions (the
// editor gives only its URL); its alt text, caption and credit fill the
// ones the editor left empty.
func (s *Service) prepare(ctx context.Context, a *news.Article) {
	// Pasted embed code is stored as the embed's URL (see markup.Normalize).
	a.Body, _ = s.d.Markup.Normalize(a.Body)
	a.BodyText = s.d.Markup.Text(a.Body)
	// An embargo that has passed is no embargo (and must not be lifted,
	// and announced, a second time).
	if !a.EmbargoUntil.IsZero() && !s.held(*a) {
		a.EmbargoUntil = time.Time{}
	}
	if a.Image != nil && strings.TrimSpace(a.Image.URL) == "" {
		a.Image = nil
	}
	if a.Image == nil {
		return
	}
	img := a.Image
	img.Width, img.Height, img.SrcSet = 0, 0, ""
	path, isMedia := strings.CutPrefix(img.URL, "/media/")
	if !isMedia {
		return
	}
	m, err := s.d.Store.MediaByPath(ctx, path)
	if err != nil {
		return
	}
	lib := m.Image()
	img.Width, img.Height, img.SrcSet = lib.Width, lib.Height, lib.SrcSet
	if strings.TrimSpace(img.Alt) == "" {
		img.Alt = lib.Alt
	}
	if img.Caption == "" {
		img.Caption = lib.Caption
	}
	if img.Credit == "" {
		img.Credit = lib.Credit
	}
}

// Create stores a new draft. Any staff member may.
func (s *Service) Create(ctx context.Context, u news.StaffUser, a *news.Article) error {
	if err := forbid(u, news.RoleContributor, "write articles"); err != nil {
		return err
	}
	a.ID = 0
	a.Status = news.StatusDraft
	a.PublishedAt, a.UpdatedAt = time.Time{}, time.Time{}
	a.Corrections = nil
	s.prepare(ctx, a)
	if err := s.d.Store.CreateArticle(ctx, a); err != nil {
		return err
	}
	if err := s.d.Store.SetArticleOwner(ctx, a.ID, u.ID); err != nil {
		return fmt.Errorf("record the article's creator: %w", err)
	}
	return nil
}

// mayEdit keeps contributors to the articles they created; editors and
// admins may edit any. It fails closed: when the owner cannot be read
// (none recorded, or the database fails), a contributor is refused.
func (s *Service) mayEdit(ctx context.Context, u news.StaffUser, id int64) error {
	if u.Role.AtLeast(news.RoleEditor) {
		return nil
	}
	owner, err := s.d.Store.ArticleOwner(ctx, id)
	if err != nil && !news.IsNotFound(err) {
		return err
	}
	if err != nil || owner != u.ID {
		return news.Errorf(news.KindForbidden, "a contributor may change only the articles they wrote; ask an editor")
	}
	return nil
}

// Get loads an article whatever its status.
func (s *Service) Get(ctx context.Context, id int64) (news.Article, error) {
	return s.d.Store.ArticleByID(ctx, id)
}

// Save stores an editor's changes to the content of an article (not its
// status). a.Version must be the version the editor started from; if
// someone saved since, a *ConflictError is returned and nothing changes.
// Contributors may change only drafts and articles in review. A change to
// a published article is a new revision and refreshes readers' pages.
func (s *Service) Save(ctx context.Context, u news.StaffUser, a *news.Article) error {
	return s.save(ctx, u, a, "update", false)
}

func (s *Service) save(ctx context.Context, u news.StaffUser, a *news.Article, note string, forceRevision bool) error {
	if err := forbid(u, news.RoleContributor, "edit articles"); err != nil {
		return err
	}
	cur, err := s.d.Store.ArticleByID(ctx, a.ID)
	if err != nil {
		return err
	}
	if err := s.mayEdit(ctx, u, a.ID); err != nil {
		return err
	}
	if (cur.Status == news.StatusPublished || cur.Status == news.StatusScheduled) && !u.Role.AtLeast(news.RoleEditor) {
		return news.Errorf(news.KindForbidden, "a contributor may not change a published or scheduled article; ask an editor")
	}
	if a.Version != cur.Version {
		return s.conflict(ctx, cur, *a)
	}
	// Until its first publication an article's slug follows its headline,
	// unless someone chose one by hand; after it, the URL is fixed (a
	// changed slug answers 301 from the old one).
	if cur.PublishedAt.IsZero() || cur.Status == news.StatusScheduled {
		if a.Slug == cur.Slug && cur.Slug == news.Slugify(cur.Headline) {
			a.Slug = news.Slugify(a.Headline)
		}
	}
	a.Status = cur.Status
	a.PublishedAt = cur.PublishedAt
	a.CreatedAt = cur.CreatedAt
	a.UpdatedAt = cur.UpdatedAt
	a.CommentCount = cur.CommentCount
	s.prepare(ctx, a)
	published := cur.Status == news.StatusPublished
	changed := !sameContent(cur, *a)
	if published && changed {
		a.UpdatedAt = s.d.Now().UTC()
	}
	if err := s.d.Store.UpdateArticle(ctx, a); err != nil {
		if news.KindOf(err) == news.KindConflict {
			if again, lerr := s.d.Store.ArticleByID(ctx, a.ID); lerr == nil {
				return s.conflict(ctx, again, *a)
			}
		}
		return err
	}
	if (published && changed) || forceRevision {
		saved, err := s.d.Store.ArticleByID(ctx, a.ID)
		if err != nil {
			return err
		}
		*a = saved
		if err := s.revision(ctx, u, saved, note); err != nil {
			return err
		}
		if published {
			kind := EventUpdate
			if s.held(cur) && !s.held(saved) {
				// The embargo was removed or brought forward to the past:
				// the outside hears of the article for the first time.
				kind = EventPublish
			}
			s.changed(ctx, kind, saved)
		}
	}
	return nil
}

func (s *Service) conflict(ctx context.Context, theirs, mine news.Article) error {
	s.fillNames(ctx, &mine)
	return &ConflictError{Theirs: theirs, Mine: mine, Diff: DiffArticles(theirs, mine),
		err: &news.Error{Kind: news.KindConflict, Field: "version",
			Message: fmt.Sprintf("someone else saved this article since you opened it (you started from version %d, it is now at version %d); your changes were not saved", mine.Version, theirs.Version)}}
}

// fillNames gives an edited article (whose section and bylines the form
// names by id only) the names a diff shows.
func (s *Service) fillNames(ctx context.Context, a *news.Article) {
	if t, err := s.Sections(ctx); err == nil {
		if sec, ok := t.ByID(a.SectionID); ok {
			a.Section = sec
		}
	}
	if all, err := s.d.Store.ListAuthors(ctx); err == nil {
		byID := map[int64]news.Author{}
		for _, au := range all {
			byID[au.ID] = au
		}
		for i, au := range a.Authors {
			if full, ok := byID[au.ID]; ok {
				a.Authors[i] = full
			}
		}
	}
}

func (s *Service) revision(ctx context.Context, u news.StaffUser, a news.Article, note string) error {
	return s.d.Staff.AddRevision(ctx, &news.Revision{ArticleID: a.ID, UserID: u.ID, UserName: u.Name, Note: note, Snapshot: a, CreatedAt: s.d.Now().UTC()})
}

// setStatus changes an article's status through a version-checked save.
func (s *Service) setStatus(ctx context.Context, id int64, change func(a *news.Article) error) (news.Article, news.Article, error) {
	for attempt := 0; ; attempt++ {
		cur, err := s.d.Store.ArticleByID(ctx, id)
		if err != nil {
			return cur, cur, err
		}
		a := cur
		if err := change(&a); err != nil {
			return cur, a, err
		}
		err = s.d.Store.UpdateArticle(ctx, &a)
		if news.KindOf(err) == news.KindConflict && attempt < 3 {
			continue // a status change does not depend on the content: retry
		}
		if err != nil {
			return cur, a, err
		}
		saved, err := s.d.Store.ArticleByID(ctx, id)
		return cur, saved, err
	}
}

// Submit marks a draft ready for review.
func (s *Service) Submit(ctx context.Context, u news.StaffUser, id int64) (news.Article, error) {
	if err := forbid(u, news.RoleContributor, "submit articles"); err != nil {
		return news.Article{}, err
	}
	if err := s.mayEdit(ctx, u, id); err != nil {
		return news.Article{}, err
	}
	_, a, err := s.setStatus(ctx, id, func(a *news.Article) error {
		if a.Status != news.StatusDraft && a.Status != news.StatusReview {
			return news.Errorf(news.KindConflict, "only a draft can be submitted for review (this one is %s)", a.Status)
		}
		a.Status = news.StatusReview
		return nil
	})
	return a, err
}

// Publish publishes an article now. Re-publishing keeps the first
// publication time; a scheduled article published early gets now.
func (s *Service) Publish(ctx context.Context, u news.StaffUser, id int64) (news.Article, error) {
	if err := forbid(u, news.RoleEditor, "publish articles"); err != nil {
		return news.Article{}, err
	}
	now := s.d.Now().UTC()
	before, a, err := s.setStatus(ctx, id, func(a *news.Article) error {
		if a.PublishedAt.IsZero() || a.Status == news.StatusScheduled || a.PublishedAt.After(now) {
			a.PublishedAt = now
		}
		if !a.EmbargoUntil.After(now) {
			a.EmbargoUntil = time.Time{}
		}
		a.Status = news.StatusPublished
		return nil
	})
	if err != nil {
		return a, err
	}
	if err := s.revision(ctx, u, a, "publish"); err != nil {
		return a, err
	}
	kind := EventPublish
	if before.Status == news.StatusPublished && !s.held(before) {
		kind = EventUpdate
	}
	s.changed(ctx, kind, a)
	return a, nil
}

// Schedule sets an article to publish at a future time. A time that has
// passed publishes now.
func (s *Service) Schedule(ctx context.Context, u news.StaffUser, id int64, at time.Time) (news.Article, error) {
	if err := forbid(u, news.RoleEditor, "schedule articles"); err != nil {
		return news.Article{}, err
	}
	if at.IsZero() {
		return news.Article{}, news.Invalid("at", "the schedule needs a time")
	}
	if !at.After(s.d.Now()) {
		return s.Publish(ctx, u, id)
	}
	before, a, err := s.setStatus(ctx, id, func(a *news.Article) error {
		a.Status = news.StatusScheduled
		a.PublishedAt = at.UTC()
		return nil
	})
	if err != nil {
		return a, err
	}
	if before.Status == news.StatusPublished && !s.held(before) {
		s.changed(ctx, EventUnpublish, a)
	} else {
		s.d.Notifier.Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: a.ID})
		s.Rearm()
	}
	return a, nil
}

// Unpublish takes an article off the site; it goes back to draft.
func (s *Service) Unpublish(ctx context.Context, u news.StaffUser, id int64) (news.Article, error) {
	if err := forbid(u, news.RoleEditor, "unpublish articles"); err != nil {
		return news.Article{}, err
	}
	before, a, err := s.setStatus(ctx, id, func(a *news.Article) error {
		a.Status = news.StatusDraft
		return nil
	})
	if err != nil {
		return a, err
	}
	// Nobody outside heard of an article still under embargo: nothing
	// to take back.
	if before.Status == news.StatusPublished && !s.held(before) {
		s.changed(ctx, EventUnpublish, a)
	} else {
		s.d.Notifier.Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: a.ID})
		s.Rearm()
	}
	return a, nil
}

// Correct appends a public correction or update note.
func (s *Service) Correct(ctx context.Context, u news.StaffUser, id int64, kind news.CorrectionKind, body string) (news.Correction, error) {
	c := news.Correction{ArticleID: id, Kind: kind, Body: body, CreatedAt: s.d.Now().UTC()}
	if err := forbid(u, news.RoleEditor, "correct articles"); err != nil {
		return c, err
	}
	if _, err := s.d.Store.ArticleByID(ctx, id); err != nil {
		return c, err
	}
	if err := s.d.Store.AddCorrection(ctx, &c); err != nil {
		return c, err
	}
	if a, err := s.d.Store.ArticleByID(ctx, id); err == nil && a.Status == news.StatusPublished {
		// A correction changes what readers read: the article shows it as
		// updated (page, feeds, structured data).
		if _, saved, err := s.setStatus(ctx, id, func(a *news.Article) error {
			a.UpdatedAt = c.CreatedAt
			return nil
		}); err == nil {
			a = saved
		} else {
			s.d.Logger.ErrorContext(ctx, "correction: set the updated time", "id", id, "err", err)
		}
		s.changed(ctx, EventUpdate, a)
	} else {
		s.d.Notifier.Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: id})
	}
	return c, nil
}

// Revisions lists an article's revisions, newest first.
func (s *Service) Revisions(ctx context.Context, id int64) ([]news.Revision, error) {
	return s.d.Staff.ListRevisions(ctx, id)
}

// Revision loads one revision of article id.
func (s *Service) Revision(ctx context.Context, id, revID int64) (news.Revision, error) {
	r, err := s.d.Staff.RevisionByID(ctx, revID)
	if err == nil && r.ArticleID != id {
		return r, news.NotFound("revision")
	}
	return r, err
}

// Restore brings back the content of a revision as a new change (and a
// new revision); the status stays as it is.
func (s *Service) Restore(ctx context.Context, u news.StaffUser, id, revID int64) (news.Article, error) {
	if err := forbid(u, news.RoleEditor, "restore revisions"); err != nil {
		return news.Article{}, err
	}
	rev, err := s.Revision(ctx, id, revID)
	if err != nil {
		return news.Article{}, err
	}
	cur, err := s.d.Store.ArticleByID(ctx, id)
	if err != nil {
		return cur, err
	}
	a := withContent(cur, rev.Snapshot)
	// The embargo is when the article may be read, not what it says: a
	// restore keeps today's, as it keeps the status.
	a.EmbargoUntil = cur.EmbargoUntil
	if err := s.save(ctx, u, &a, fmt.Sprintf("restore of revision %d", rev.ID), true); err != nil {
		return a, err
	}
	return a, nil
}

// PublishDue publishes scheduled articles whose time has come. Storage
// claims each article for exactly one caller, so several servers may run
// it at once; only the claimant records the revision and notifies.
func (s *Service) PublishDue(ctx context.Context) ([]int64, error) {
	ids, err := s.d.Staff.PublishDue(ctx, s.d.Now())
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		a, err := s.d.Store.ArticleByID(ctx, id)
		if err != nil {
			s.d.Logger.ErrorContext(ctx, "scheduled publish: reload", "id", id, "err", err)
			continue
		}
		if err := s.revision(ctx, news.StaffUser{Name: "scheduler"}, a, "scheduled publish"); err != nil {
			s.d.Logger.ErrorContext(ctx, "scheduled publish: revision", "id", id, "err", err)
		}
		s.d.Logger.InfoContext(ctx, "published scheduled article", "id", id, "headline", a.Headline)
		s.changed(ctx, EventPublish, a)
	}
	return ids, nil
}

// RunScheduler publishes scheduled articles and lifts embargoes on the
// second they fall due: it sleeps until the next due time (NextDue), and
// Rearm wakes it when a schedule or an embargo changes here or, through
// the server's change bus, on another server. every is only the safety
// net (a missed notification, a clock jump). It catches up at start.
func (s *Service) RunScheduler(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 15 * time.Second
	}
	t := time.NewTimer(0)
	defer t.Stop()
	<-t.C
	for {
		if _, err := s.PublishDue(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.d.Logger.ErrorContext(ctx, "scheduler", "err", err)
		}
		if _, err := s.LiftEmbargoes(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.d.Logger.ErrorContext(ctx, "scheduler: embargoes", "err", err)
		}
		if _, err := s.PublishDuePending(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.d.Logger.ErrorContext(ctx, "scheduler: drafts of changes", "err", err)
		}
		wait := every
		now := s.d.Now()
		next, err := s.d.Staff.NextDue(ctx)
		if err != nil && ctx.Err() == nil {
			s.d.Logger.ErrorContext(ctx, "scheduler: next due time", "err", err)
		}
		if p, err := s.d.Store.NextPendingDue(ctx); err != nil && ctx.Err() == nil {
			s.d.Logger.ErrorContext(ctx, "scheduler: next due draft of changes", "err", err)
		} else if !p.IsZero() && (next.IsZero() || p.Before(next)) {
			next = p
		}
		if !next.IsZero() && next.Sub(now) < wait {
			wait = max(next.Sub(now), 0)
		}
		s.mu.Lock()
		s.next = now.Add(wait)
		s.mu.Unlock()
		t.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.rearm:
			if !t.Stop() {
				select {
				case <-t.C:
				default:
				}
			}
		}
	}
}

// Rearm tells RunScheduler that a schedule or an embargo may have
// changed (here or on another server), so it looks again for the next due
// time. It never blocks.
func (s *Service) Rearm() {
	select {
	case s.rearm <- struct{}{}:
	default:
	}
}

// NextWake is when RunScheduler will next look for due work (zero before
// it first ran).
func (s *Service) NextWake() time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.next
}

// LiftEmbargoes announces the published articles whose embargo has just
// ended: storage claims each for exactly one caller across servers, and
// the claimant sends the publish event that was held back.
func (s *Service) LiftEmbargoes(ctx context.Context) ([]int64, error) {
	ids, err := s.d.Staff.LiftEmbargoes(ctx, s.d.Now())
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		a, err := s.d.Store.ArticleByID(ctx, id)
		if err != nil {
			s.d.Logger.ErrorContext(ctx, "embargo lift: reload", "id", id, "err", err)
			continue
		}
		s.d.Logger.InfoContext(ctx, "embargo lifted", "id", id, "headline", a.Headline)
		s.changed(ctx, EventPublish, a)
	}
	return ids, nil
}
