package news

import (
	"context"
	"time"
)

// StagedComment is a comment brought in by an import, kept until the
// comments feature takes it over.
type StagedComment struct {
	Source      string // "wordpress"
	ExternalID  string // wp:comment_id
	ArticleID   int64
	ParentExtID string
	AuthorName  string
	AuthorEmail string
	AuthorURL   string
	Body        string
	CreatedAt   time.Time
}

// ImportStore remembers what an import created, so that re-running it
// creates nothing twice, and keeps what other features take over later.
type ImportStore interface {
	// ImportMapping returns the id created for (source, kind, key), or a
	// not-found error.
	ImportMapping(ctx context.Context, source, kind, key string) (int64, error)
	SetImportMapping(ctx context.Context, source, kind, key string, id int64) error
	// StageComment keeps a comment once per (Source, ExternalID).
	StageComment(ctx context.Context, c StagedComment) (created bool, err error)
	// AddImportRedirect records that the old path (such as "/2019/05/x/"
	// or "/?p=12") now lives at the article.
	AddImportRedirect(ctx context.Context, from string, articleID int64) error
	// ImportRedirect finds the article an old path moved to.
	ImportRedirect(ctx context.Context, from string) (int64, error)
}
