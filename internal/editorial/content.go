package editorial

// The fields of news.Article an editor writes are handled here, and only
// here: what counts as a change readers see (sameContent), what a draft of
// changes or a restored revision brings (withContent), and what revisions
// are compared in (ArticleLines). The plain fields (news.ArticleFields,
// from Article's `field` tags) are looped over; the others are written out.
// fields_test.go changes every field of news.Article in turn and fails
// when one of them misses it.

import (
	"fmt"
	"strings"

	"byline/internal/news"
)

// sameContent reports whether an edit changes nothing readers see.
func sameContent(x, y news.Article) bool {
	if x.Body != y.Body || x.Slug != y.Slug || x.SectionID != y.SectionID || !x.EmbargoUntil.Equal(y.EmbargoUntil) {
		return false
	}
	for _, f := range news.ArticleFields {
		if !f.Equal(&x, &y) {
			return false
		}
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
	a.Body, a.Slug, a.SectionID = snap.Body, snap.Slug, snap.SectionID
	a.Tags, a.Authors, a.Image = snap.Tags, snap.Authors, snap.Image
	a.EmbargoUntil = snap.EmbargoUntil
	for _, f := range news.ArticleFields {
		f.Copy(&a, &snap)
	}
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
	var lines []string
	for _, f := range news.ArticleFields {
		lines = append(lines, f.Label+": "+f.Text(&a))
	}
	lines = append(lines,
		"Slug: "+a.Slug,
		fmt.Sprintf("Section: %s", firstNonEmpty(a.Section.Path, fmt.Sprint(a.SectionID))),
		"Authors: "+strings.Join(authors, ", "),
		"Tags: "+strings.Join(a.Tags, ", "),
	)
	if a.Image != nil {
		lines = append(lines, "Image: "+a.Image.URL, "Image alt: "+a.Image.Alt, "Caption: "+a.Image.Caption, "Credit: "+a.Image.Credit)
	}
	if !a.EmbargoUntil.IsZero() {
		lines = append(lines, "Embargo until: "+a.EmbargoUntil.UTC().Format("2006-01-02 15:04 UTC"))
	}
	lines = append(lines, "")
	body := strings.ReplaceAll(a.Body, "\r\n", "\n")
	return append(lines, strings.Split(body, "\n")...)
}
