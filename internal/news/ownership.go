package news

import "context"

// OwnershipStore remembers which staff member created an article, so a
// contributor can be kept to their own drafts.
type OwnershipStore interface {
	SetArticleOwner(ctx context.Context, articleID, userID int64) error
	// ArticleOwner is the creator's staff id; a NotFound error when none
	// was recorded (articles imported or made before owners were kept).
	ArticleOwner(ctx context.Context, articleID int64) (int64, error)
}
