package comments

import (
	"context"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"byline/internal/news"
)

// View is a comment as pages and the JSON API show it. Text of deleted
// and removed comments is never shown to others.
type View struct {
	ID        int64  `json:"id"`
	ArticleID int64  `json:"article_id"`
	ParentID  *int64 `json:"parent_id"`
	Author    string `json:"author"`
	// AuthorURL is the commenter's public history, when the paper shows
	// it (empty otherwise).
	AuthorURL string        `json:"author_url,omitempty"`
	ReplyTo   string        `json:"reply_to,omitempty"`
	Body      string        `json:"body"`
	HTML      template.HTML `json:"html"`
	Status    string        `json:"status"`
	// Clause is the policy clause applied, shown with removed comments and
	// to the writer.
	Clause        string     `json:"clause,omitempty"`
	Edited        bool       `json:"edited"`
	CreatedAt     time.Time  `json:"created_at"`
	Recommends    int        `json:"recommends"`
	ReplyCount    int        `json:"reply_count"`
	Mine          bool       `json:"mine,omitempty"`
	EditableUntil *time.Time `json:"editable_until,omitempty"`
	Replies       []View     `json:"replies,omitempty"`
	// Reason is the latest decision on the writer's own comment: its
	// statement of reasons and the appeal (only ever shown to the writer).
	Reason *Reason `json:"reason,omitempty"`
	URL    string  `json:"url,omitempty"`
	Share  *Share  `json:"share,omitempty"`
}

// Share links let a writer share their own comment (web intents only).
type Share struct {
	X        string `json:"x"`
	Facebook string `json:"facebook"`
	Email    string `json:"email"`
}

// Deleted reports whether the comment shows as a "deleted" stub.
func (v View) Deleted() bool { return v.Status == string(news.CommentDeleted) }

// Removed reports whether a moderator took it down.
func (v View) Removed() bool {
	return v.Status == string(news.CommentRemoved) || v.Status == string(news.CommentRejected)
}

// ViewOf makes the view of c for viewer (0: anonymous).
func ViewOf(c news.Comment, viewer int64, now time.Time) View {
	v := View{ID: c.ID, ArticleID: c.ArticleID, Author: c.AuthorName, ReplyTo: c.ReplyTo, Body: c.Body, Status: string(c.Status),
		Clause: c.Clause, Edited: c.Edited, CreatedAt: c.CreatedAt, Recommends: c.Recommends, ReplyCount: c.ReplyCount}
	if c.ParentID != 0 {
		p := c.ParentID
		v.ParentID = &p
	}
	v.Mine = viewer != 0 && c.ReaderID == viewer
	if c.Shadow && v.Mine {
		// A shadow-banned writer sees their comment as published.
		v.Status = string(news.CommentApproved)
	}
	switch c.Status {
	case news.CommentDeleted:
		v.Body, v.Author, v.Clause = "", "", ""
	case news.CommentRemoved, news.CommentRejected:
		if !v.Mine {
			v.Body = ""
		}
	}
	if !v.Mine && c.Status == news.CommentPending {
		v.Body = ""
	}
	if v.Body != "" {
		v.HTML = HTML(v.Body)
	}
	if v.Mine && (c.Status == news.CommentApproved || c.Status == news.CommentPending) {
		until := c.CreatedAt.Add(EditWindow)
		if now.Before(until) {
			v.EditableUntil = &until
		}
	}
	for _, r := range c.Replies {
		v.Replies = append(v.Replies, ViewOf(r, viewer, now))
	}
	return v
}

// ShareFor makes the "share my comment" links: the writer's own post
// through the providers' web intents, nothing posted on their behalf.
func ShareFor(v View, headline, articleURL string) *Share {
	link := articleURL + "#comment-" + strconv.FormatInt(v.ID, 10)
	text := v.Body
	if Length(text) > 200 {
		text = string([]rune(text)[:180]) + "…"
	}
	return &Share{
		X:        "https://twitter.com/intent/tweet?" + url.Values{"text": {text}, "url": {link}}.Encode(),
		Facebook: "https://www.facebook.com/sharer/sharer.php?" + url.Values{"u": {link}}.Encode(),
		Email:    "mailto:?" + strings.ReplaceAll(url.Values{"subject": {headline}, "body": {text + "\n\n" + link}}.Encode(), "+", "%20"),
	}
}

// PerPage is how many top-level comments a page shows.
const PerPage = 20

// Thread is what the article page renders: the first page of approved
// comments, the same for every reader.
type Thread struct {
	ArticleID  int64
	Mode       string
	Count      int
	Total      int
	Comments   []View
	NextOffset int
	Closed     bool
	Hidden     bool
	Providers  any
	DevLogin   bool
	Max        int
}

// Thread loads the public thread of an article for the page.
func (s *Service) Thread(ctx context.Context, articleID int64) (*Thread, error) {
	mode, _, err := s.ArticleMode(ctx, articleID)
	if err != nil {
		return nil, err
	}
	t := &Thread{ArticleID: articleID, Mode: string(mode), Closed: mode == news.CommentsClosed, Hidden: mode == news.CommentsHidden, Max: MaxGraphemes}
	if t.Hidden {
		return t, nil
	}
	p, err := s.store.ListComments(ctx, news.CommentQuery{ArticleID: articleID, Sort: news.SortNewest, Limit: PerPage})
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, c := range p.Comments {
		t.Comments = append(t.Comments, ViewOf(c, 0, now))
	}
	s.LinkAuthors(t.Comments, p.Comments)
	t.Total = p.Total
	if len(p.Comments) < p.Total {
		t.NextOffset = len(p.Comments)
	}
	return t, nil
}
