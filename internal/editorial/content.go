package editorial

// The fields of news.Article an editor writes are listed by hand here, and
// only here: what counts as a change readers see (sameContent), what a
// draft of changes or a restored revision brings (withContent), and what
// revisions are compared in (ArticleLines). fields_test.go changes every
// field of news.Article in turn and fails when one of them misses it.

import (
	"fmt"
	"strings"

	"byline/internal/news"
)

// sameContent reports whether an edit changes nothing readers see.
func sameContent(x, y news.Article) bool {
	if x.Headline != strings.TrimSpace(y.Headline) || x.Dek != strings.TrimSpace(y.Dek) || x.Body != y.Body || x.Slug != y.Slug ||
		x.SectionID != y.SectionID || x.Dateline != strings.TrimSpace(y.Dateline) || x.SEOTitle != y.SEOTitle ||
		x.SEODescription != y.SEODescription || x.Top != y.Top || x.Breaking != y.Breaking || !x.EmbargoUntil.Equal(y.EmbargoUntil) {
		return false
	}
	if len(x.Authors) != len(y.Authors) || len(x.Tags) != len(y.Tags) {
		return false
	}
	for i := range x.Authors {
		if x.Authors[i].ID != y.Authors[i].ID {
			return false
		}
	}
	for i := range x.Tags {
		if x.Tags[i] != news.TagLabel(y.Tags[i]) {
			return false
		}
	}
	xi, yi := x.Image, y.Image
	if xi == nil || yi == nil {
		return xi == nil && yi == nil
	}
	return xi.URL == yi.URL && xi.Alt == yi.Alt && xi.Caption == yi.Caption && xi.Credit == yi.Credit
}

// withContent is cur with the content fields of snap (what an editor
// writes), keeping cur's status, times, version and corrections.
func withContent(cur, snap news.Article) news.Article {
	a := cur
	a.Headline, a.Dek, a.Body, a.Slug, a.SectionID = snap.Headline, snap.Dek, snap.Body, snap.Slug, snap.SectionID
	a.Tags, a.Authors, a.Dateline, a.Image = snap.Tags, snap.Authors, snap.Dateline, snap.Image
	a.SEOTitle, a.SEODescription, a.Top, a.Breaking = snap.SEOTitle, snap.SEODescription, snap.Top, snap.Breaking
	a.EmbargoUntil = snap.EmbargoUntil
	if snap.Section.ID == snap.SectionID {
		a.Section = snap.Section
	} else {
		a.Section = news.Section{}
	}
	return a
}

// ArticleLines renders the fields an editor changes as lines of text, the
// form that revisions are compared in.
func ArticleLines(a news.Article) []string {
	var authors []string
	for _, au := range a.Authors {
		authors = append(authors, au.Name)
	}
	lines := []string{
		"Headline: " + a.Headline,
		"Dek: " + a.Dek,
		"Slug: " + a.Slug,
		fmt.Sprintf("Section: %s", firstNonEmpty(a.Section.Path, fmt.Sprint(a.SectionID))),
		"Authors: " + strings.Join(authors, ", "),
		"Tags: " + strings.Join(a.Tags, ", "),
		"Dateline: " + a.Dateline,
	}
	if a.Image != nil {
		lines = append(lines, "Image: "+a.Image.URL, "Image alt: "+a.Image.Alt, "Caption: "+a.Image.Caption, "Credit: "+a.Image.Credit)
	}
	lines = append(lines, "SEO title: "+a.SEOTitle, "SEO description: "+a.SEODescription,
		fmt.Sprintf("Top story: %v, breaking: %v", a.Top, a.Breaking))
	if !a.EmbargoUntil.IsZero() {
		lines = append(lines, "Embargo until: "+a.EmbargoUntil.UTC().Format("2006-01-02 15:04 UTC"))
	}
	lines = append(lines, "")
	body := strings.ReplaceAll(a.Body, "\r\n", "\n")
	return append(lines, strings.Split(body, "\n")...)
}
