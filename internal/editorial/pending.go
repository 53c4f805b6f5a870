package editorial

import (
	"context"
	"fmt"
	"time"

	"byline/internal/news"
)

// A draft of changes (news.PendingDraft) lets an editor prepare changes to
// a published article without touching what readers see: the live
// article, its feeds and the API stay as they are until the draft is
// published by hand (SaveLive), at a time (the scheduler), or discarded.

// scheduler is who publishes scheduled work.
var scheduler = news.StaffUser{Name: "scheduler", Role: news.RoleEditor}

// Pending loads the draft of changes of an article (KindNotFound: none).
func (s *Service) Pending(ctx context.Context, id int64) (news.PendingDraft, error) {
	return s.d.Store.PendingDraft(ctx, id)
}

// SavePending stores a as the draft of changes of its published article.
// a.Version must be the live version the editor started from (else a
// *ConflictError, as for Save); seq is the draft's Seq the editor
// started from (0: none). A non-zero publishAt schedules the draft; a
// time that has passed publishes it now. The live article is not changed
// (unless published now).
func (s *Service) SavePending(ctx context.Context, u news.StaffUser, a *news.Article, seq int, publishAt time.Time) (news.PendingDraft, error) {
	if err := forbid(u, news.RoleEditor, "prepare changes to published articles"); err != nil {
		return news.PendingDraft{}, err
	}
	cur, err := s.d.Store.ArticleByID(ctx, a.ID)
	if err != nil {
		return news.PendingDraft{}, err
	}
	if cur.Status != news.StatusPublished {
		return news.PendingDraft{}, news.Errorf(news.KindConflict, "only a published article has a draft of changes (this one is %s); save it instead", cur.Status)
	}
	if a.Version != cur.Version {
		return news.PendingDraft{}, s.conflict(ctx, cur, *a)
	}
	a.Status, a.PublishedAt, a.CreatedAt, a.UpdatedAt = cur.Status, cur.PublishedAt, cur.CreatedAt, cur.UpdatedAt
	a.CommentCount, a.Corrections = cur.CommentCount, nil
	s.prepare(ctx, a)
	if err := a.Validate(); err != nil {
		return news.PendingDraft{}, err
	}
	s.fillNames(ctx, a)
	now := s.d.Now().UTC()
	due := !publishAt.IsZero() && !publishAt.After(now)
	d := news.PendingDraft{ArticleID: a.ID, BaseVersion: cur.Version, Seq: seq, UserID: u.ID, UserName: u.Name,
		SavedAt: now.Truncate(time.Millisecond), Snapshot: *a}
	if !publishAt.IsZero() && !due {
		d.PublishAt = publishAt.UTC()
	}
	if err := s.d.Store.PutPendingDraft(ctx, &d); err != nil {
		return d, err
	}
	if due {
		if _, err := s.PublishPending(ctx, u, a.ID, d.Seq); err != nil {
			return d, err
		}
		return d, nil
	}
	if !d.PublishAt.IsZero() || seq != 0 {
		// A schedule may have been set, moved or cleared: the scheduler
		// here and on other servers looks again.
		s.d.Notifier.Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: a.ID})
		s.Rearm()
	}
	return d, nil
}

// DiscardPending throws away the draft of changes saved as seq.
func (s *Service) DiscardPending(ctx context.Context, u news.StaffUser, id int64, seq int) error {
	if err := forbid(u, news.RoleEditor, "discard changes to published articles"); err != nil {
		return err
	}
	if err := s.d.Store.DeletePendingDraft(ctx, id, seq); err != nil {
		return err
	}
	s.Rearm()
	return nil
}

// SaveLive saves a as the live article (as Save does) and then drops the
// draft of changes the editor's form held (seq; 0: none). A draft saved
// again by someone else since is kept.
func (s *Service) SaveLive(ctx context.Context, u news.StaffUser, a *news.Article, seq int) error {
	if err := s.Save(ctx, u, a); err != nil {
		return err
	}
	if seq > 0 {
		if err := s.d.Store.DeletePendingDraft(ctx, a.ID, seq); err != nil && !news.IsNotFound(err) && news.KindOf(err) != news.KindConflict {
			return fmt.Errorf("saved, but the draft of changes was not removed: %w", err)
		}
		s.Rearm()
	}
	return nil
}

// PublishPending makes the draft of changes saved as seq the live
// article: a new revision, readers' pages refreshed, listeners told.
func (s *Service) PublishPending(ctx context.Context, u news.StaffUser, id int64, seq int) (news.Article, error) {
	if err := forbid(u, news.RoleEditor, "publish changes"); err != nil {
		return news.Article{}, err
	}
	d, err := s.d.Store.PendingDraft(ctx, id)
	if err != nil {
		return news.Article{}, err
	}
	if d.Seq != seq {
		return news.Article{}, news.Errorf(news.KindConflict, "the draft of changes was saved again since you opened it; nothing was published")
	}
	return s.applyPending(ctx, u, d, "publish of changes")
}

func (s *Service) applyPending(ctx context.Context, u news.StaffUser, d news.PendingDraft, note string) (news.Article, error) {
	cur, err := s.d.Store.ArticleByID(ctx, d.ArticleID)
	if err != nil {
		return cur, err
	}
	if cur.Status != news.StatusPublished {
		return cur, news.Errorf(news.KindConflict, "the article is %s, not published: its draft of changes is kept; edit and save the article instead", cur.Status)
	}
	a := withContent(cur, d.Snapshot)
	if err := s.save(ctx, u, &a, note, true); err != nil {
		return a, err
	}
	if err := s.d.Store.DeletePendingDraft(ctx, d.ArticleID, d.Seq); err != nil && !news.IsNotFound(err) {
		return a, fmt.Errorf("published, but the draft of changes was not removed: %w", err)
	}
	return a, nil
}

// DraftArticle is the live article as its draft of changes would make it.
func DraftArticle(live news.Article, d news.PendingDraft) news.Article {
	return withContent(live, d.Snapshot)
}

// PublishDuePending publishes the drafts of changes whose time has come.
// Storage hands each to one caller only, across servers. A draft that
// cannot go live (the article was unpublished, the draft is invalid) is
// kept, unscheduled, for an editor to see.
func (s *Service) PublishDuePending(ctx context.Context) ([]int64, error) {
	due, err := s.d.Store.ClaimDuePendingDrafts(ctx, s.d.Now())
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, d := range due {
		a, err := s.applyPending(ctx, scheduler, d, "scheduled publish of changes")
		if err != nil {
			s.d.Logger.ErrorContext(ctx, "scheduled changes not published; the draft is kept", "id", d.ArticleID, "err", err)
			continue
		}
		s.d.Logger.InfoContext(ctx, "published scheduled changes", "id", d.ArticleID, "headline", a.Headline)
		ids = append(ids, d.ArticleID)
	}
	return ids, nil
}

// DiffPending is what publishing the draft would change: lines marked -
// are live, + are the draft's.
func DiffPending(live news.Article, d news.PendingDraft) []DiffLine {
	return DiffArticles(live, withContent(live, d.Snapshot))
}
