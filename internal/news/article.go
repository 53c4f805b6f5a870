package news

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where an article stands in the newsroom workflow.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusReview    Status = "review"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
)

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusDraft, StatusReview, StatusScheduled, StatusPublished:
		return true
	}
	return false
}

// Image is a picture shown with an article or author.
type Image struct {
	URL     string `json:"url"`
	Alt     string `json:"alt"`
	Caption string `json:"caption,omitempty"`
	Credit  string `json:"credit,omitempty"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
	// SrcSet is a ready "url 480w, url 960w" list when renditions exist.
	SrcSet string `json:"srcset,omitempty"`
}

// Article is one story. Body is Markdown; BodyText is its plain text
// (derived at write time, used for search and descriptions). The fields
// with a `field` tag are the plain ones, stored, edited and shown as they
// are: fields.go says what the tag means and who reads it.
type Article struct {
	ID             int64
	Slug           string
	SectionID      int64
	Section        Section // filled on read
	Kicker         string  `field:"kicker,trim,oneline,max=40,public" label:"Kicker"` // over the headline: "Analysis"
	Headline       string  `field:"headline,trim,public" label:"Headline"`
	Dek            string  `field:"dek,trim,public" label:"Dek"`
	Body           string
	BodyText       string
	Dateline       string `field:"dateline,trim" label:"Dateline"`
	Status         Status
	Top            bool   `field:"top,public" label:"Top story"`
	Breaking       bool   `field:"breaking,public" label:"Breaking"`
	SEOTitle       string `field:"seo_title,trim" label:"SEO title"`
	SEODescription string `field:"seo_description,trim" label:"SEO description"`
	Image          *Image
	Tags           []string
	Authors        []Author // in byline order
	Corrections    []Correction
	CreatedAt      time.Time
	PublishedAt    time.Time // zero until first published
	UpdatedAt      time.Time // last change readers can see
	ModifiedAt     time.Time // last change of any kind
	EmbargoUntil   time.Time // zero: no embargo
	// Version increases on every update; an update that names an older
	// version is refused (two editors never overwrite each other).
	Version int
	// CommentCount is maintained by the comments feature.
	CommentCount int
}

// Visible reports whether readers may see the article at time now.
func (a Article) Visible(now time.Time) bool {
	if a.Status != StatusPublished || a.PublishedAt.IsZero() || a.PublishedAt.After(now) {
		return false
	}
	return a.EmbargoUntil.IsZero() || !a.EmbargoUntil.After(now)
}

// LastModified is the newest time readers could see a change.
func (a Article) LastModified() time.Time {
	t := a.PublishedAt
	if a.UpdatedAt.After(t) {
		t = a.UpdatedAt
	}
	for _, c := range a.Corrections {
		if c.CreatedAt.After(t) {
			t = c.CreatedAt
		}
	}
	return t
}

// CorrectionKind tells a correction (a fact was wrong) from an update
// (the story moved on).
type CorrectionKind string

const (
	KindCorrection CorrectionKind = "correction"
	KindUpdate     CorrectionKind = "update"
)

// Correction is a dated public note appended to an article.
type Correction struct {
	ID        int64
	ArticleID int64
	Kind      CorrectionKind
	Body      string
	CreatedAt time.Time
}

// Limits on article fields. They are generous for real stories and stop
// abuse of storage and pages.
const (
	MaxHeadline = 200
	MaxDek      = 400
	MaxBody     = 200_000
	MaxSlug     = 120
	MaxTags     = 20
	MaxTagLen   = 60
	MaxDateline = 60
)

var slugRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a lowercase-hyphenated URL slug.
func ValidSlug(s string) bool { return len(s) <= MaxSlug && slugRe.MatchString(s) }

// Slugify makes a URL slug from a title: lowercase ASCII letters and
// digits joined by single hyphens, at most MaxSlug bytes.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// "Korea's" -> "koreas"
		default:
			dash = true
		}
		if b.Len() >= MaxSlug {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > MaxSlug {
		s = strings.Trim(s[:MaxSlug], "-")
	}
	if s == "" {
		s = "article"
	}
	return s
}

// NormalizeTag lowercases and trims a tag and folds inner white space:
// the key tags are matched on ("Seoul" and "seoul" are one tag, with one
// page, /tag/seoul).
func NormalizeTag(t string) string {
	return strings.Join(strings.Fields(strings.ToLower(t)), " ")
}

// TagLabel trims a tag and folds inner white space, keeping the case the
// editor wrote it in: how the tag is shown.
func TagLabel(t string) string {
	return strings.Join(strings.Fields(t), " ")
}

// TagSlug is the URL form of a tag.
func TagSlug(t string) string { return Slugify(t) }

// Validate checks the fields an author controls (the tagged ones by their
// tags' rules, see fields.go) and tidies tags (white
// space folded, case kept; the second of two that differ only in case
// dropped).
// It does not check that the section or authors exist: storage does.
func (a *Article) Validate() error {
	if err := a.validateFields(); err != nil {
		return err
	}
	if !utf8.ValidString(a.Body) {
		return Invalid("body", "body is not valid UTF-8 text")
	}
	switch {
	case a.Headline == "":
		return Invalid("headline", "headline is required")
	case utf8.RuneCountInString(a.Headline) > MaxHeadline:
		return Invalid("headline", "headline is longer than %d characters", MaxHeadline)
	case utf8.RuneCountInString(a.Dek) > MaxDek:
		return Invalid("dek", "dek is longer than %d characters", MaxDek)
	case len(a.Body) > MaxBody:
		return Invalid("body", "body is longer than %d bytes", MaxBody)
	case utf8.RuneCountInString(a.Dateline) > MaxDateline:
		return Invalid("dateline", "dateline is longer than %d characters", MaxDateline)
	case a.SectionID <= 0:
		return Invalid("section", "section is required")
	}
	if a.Slug == "" {
		a.Slug = Slugify(a.Headline)
	}
	if !ValidSlug(a.Slug) {
		return Invalid("slug", "slug must be lowercase letters, digits and single hyphens (at most %d)", MaxSlug)
	}
	if a.Status == "" {
		a.Status = StatusDraft
	}
	if !a.Status.Valid() {
		return Invalid("status", "unknown status %q", a.Status)
	}
	seen := map[string]bool{}
	tags := a.Tags[:0:0]
	for _, t := range a.Tags {
		t = TagLabel(t)
		key := NormalizeTag(t)
		if t == "" || seen[key] {
			continue
		}
		if utf8.RuneCountInString(t) > MaxTagLen || !utf8.ValidString(t) {
			return Invalid("tags", "tag %q is too long", t)
		}
		seen[key] = true
		tags = append(tags, t)
	}
	if len(tags) > MaxTags {
		return Invalid("tags", "at most %d tags", MaxTags)
	}
	a.Tags = tags
	if a.Image != nil && a.Image.URL != "" && strings.TrimSpace(a.Image.Alt) == "" {
		return Invalid("image", "the lead image needs alt text")
	}
	return nil
}

// Validate trims the note, makes an unnamed kind a correction, and
// refuses an empty or over-long note or an unknown kind.
func (c *Correction) Validate() error {
	c.Body = strings.TrimSpace(c.Body)
	if c.Body == "" {
		return Invalid("body", "the correction needs a text")
	}
	if len(c.Body) > 4000 {
		return Invalid("body", "the correction is longer than 4000 bytes")
	}
	if c.Kind == "" {
		c.Kind = KindCorrection
	}
	if c.Kind != KindCorrection && c.Kind != KindUpdate {
		return Invalid("kind", "kind must be correction or update")
	}
	return nil
}
