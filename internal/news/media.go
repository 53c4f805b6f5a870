package news

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Media is an uploaded image and its resized renditions. Path is relative
// to the media directory ("2026/11/k3j2-orig.jpg") and served at /media/.
type Media struct {
	ID         int64
	Path       string
	MIME       string
	Width      int
	Height     int
	Bytes      int64
	Alt        string
	Caption    string
	Credit     string
	UploadedBy int64 // staff user id; 0 for imports and the CLI
	CreatedAt  time.Time
	Renditions []Rendition // narrowest first
}

// Rendition is one resized copy of a media item.
type Rendition struct {
	Path   string `json:"path"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Bytes  int64  `json:"bytes"`
}

// MediaURL is the public path of a file in the media directory.
func MediaURL(path string) string { return "/media/" + strings.TrimPrefix(path, "/") }

// URL is the original's public path.
func (m Media) URL() string { return MediaURL(m.Path) }

// SrcSet lists the renditions (and the original) for <img srcset>.
func (m Media) SrcSet() string {
	var parts []string
	for _, r := range m.Renditions {
		if r.Width < m.Width {
			parts = append(parts, MediaURL(r.Path)+" "+strconv.Itoa(r.Width)+"w")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(append(parts, m.URL()+" "+strconv.Itoa(m.Width)+"w"), ", ")
}

// Image is the media item as an article's lead image.
func (m Media) Image() Image {
	return Image{URL: m.URL(), Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, Width: m.Width, Height: m.Height, SrcSet: m.SrcSet()}
}

// Limits of media descriptions.
const (
	MaxAlt     = 300
	MaxCaption = 1000
	MaxCredit  = 200
)

// ValidateText checks the fields a person types about an image.
func (m *Media) ValidateText() error {
	m.Alt = strings.TrimSpace(m.Alt)
	m.Caption = strings.TrimSpace(m.Caption)
	m.Credit = strings.TrimSpace(m.Credit)
	switch {
	case m.Alt == "":
		return Invalid("alt", "alt text is required: describe the image for readers who cannot see it")
	case len([]rune(m.Alt)) > MaxAlt:
		return Invalid("alt", "alt text is longer than %d characters", MaxAlt)
	case len([]rune(m.Caption)) > MaxCaption:
		return Invalid("caption", "caption is longer than %d characters", MaxCaption)
	case len([]rune(m.Credit)) > MaxCredit:
		return Invalid("credit", "credit is longer than %d characters", MaxCredit)
	}
	return nil
}

// MediaQuery selects media for the library; newest first. Empty fields
// do not filter.
type MediaQuery struct {
	Text    string // matches alt, caption or credit
	Caption string // matches the caption only
	Credit  string // matches the credit only
	// UploadedBy is a staff user's id; -1 selects imports and the CLI
	// (stored as 0), 0 does not filter.
	UploadedBy int64
	// From and Until bound the upload time: From <= created_at < Until.
	From, Until time.Time
	Limit       int
	Offset      int
}

// MediaUse is an article that shows a media item, as its lead image or
// in its body.
type MediaUse struct {
	ArticleID int64
	Headline  string
	Status    Status
	// Pending: the use is in the article's draft of changes, not (only)
	// in its saved version.
	Pending bool
	// StoryID is set (and ArticleID is 0) for an entry of a live story;
	// Headline is then the story's title.
	StoryID int64
}

// Describe names the use for people: "“Headline” (#12, published)".
func (u MediaUse) Describe() string {
	if u.StoryID != 0 {
		return "live story “" + u.Headline + "” (story #" + strconv.FormatInt(u.StoryID, 10) + ", an entry)"
	}
	s := "“" + u.Headline + "” (#" + strconv.FormatInt(u.ArticleID, 10) + ", " + string(u.Status)
	if u.Pending {
		s += ", its draft of changes"
	}
	return s + ")"
}

// MediaFiles are the stored files of a media item: what a replacement
// changes (the id, the texts and the uploader stay).
type MediaFiles struct {
	Path       string
	MIME       string
	Width      int
	Height     int
	Bytes      int64
	Renditions []Rendition
}

// Files lists the item's stored file names: the original and its
// renditions.
func (m Media) Files() []string {
	out := []string{m.Path}
	for _, r := range m.Renditions {
		out = append(out, r.Path)
	}
	return out
}

// MediaInUse is the refusal to delete an item that articles show.
type MediaInUse struct {
	Uses []MediaUse
}

func (e *MediaInUse) Error() string {
	var b strings.Builder
	b.WriteString("this image is used ")
	if len(e.Uses) == 1 {
		b.WriteString("once")
	} else {
		b.WriteString(strconv.Itoa(len(e.Uses)) + " times")
	}
	b.WriteString(" and was not deleted: ")
	for i, u := range e.Uses {
		if i > 0 {
			b.WriteString("; ")
		}
		if i == 10 {
			b.WriteString("and " + strconv.Itoa(len(e.Uses)-10) + " more")
			break
		}
		b.WriteString(u.Describe())
	}
	b.WriteString(". Choose another image in those articles first.")
	return b.String()
}

// MediaStore keeps the media library's records (the files live behind
// media.Storage).
type MediaStore interface {
	CreateMedia(ctx context.Context, m *Media) error
	MediaByID(ctx context.Context, id int64) (Media, error)
	// MediaByPath finds an item by the path of its original.
	MediaByPath(ctx context.Context, path string) (Media, error)
	ListMedia(ctx context.Context, q MediaQuery) (items []Media, total int, err error)
	UpdateMediaText(ctx context.Context, m *Media) error
	// MediaUsage lists the articles (any status) whose lead image is the
	// item or whose body links to one of its files, the articles whose
	// draft of changes does, and the live-story entries that do.
	MediaUsage(ctx context.Context, m Media) ([]MediaUse, error)
	// DeleteMedia removes the record unless an article uses it (then a
	// KindConflict error wrapping *MediaInUse) and returns what it was,
	// so that its files can be removed after the commit.
	DeleteMedia(ctx context.Context, id int64) (Media, error)
	// ReplaceMedia gives item id new files in one transaction: the
	// record, the articles that show it (lead image, srcset, body links),
	// and redirects from every old file to its new one. It returns the
	// item as it was and the articles it changed.
	ReplaceMedia(ctx context.Context, id int64, f MediaFiles) (old Media, changed []int64, err error)
	// SetMediaRenditions records renditions made later for an item
	// stored without any (an image older than renditions), and gives
	// the articles showing it as lead image without a srcset the new
	// one. It returns those articles; an item that already has
	// renditions is KindConflict and is not changed.
	SetMediaRenditions(ctx context.Context, id int64, r []Rendition) (changed []int64, err error)
	// MediaRedirect is the file that replaced the file at path (a
	// replaced item's old URLs keep working), or KindNotFound.
	MediaRedirect(ctx context.Context, path string) (string, error)
}
