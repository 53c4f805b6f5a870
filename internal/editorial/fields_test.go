package editorial

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
)

// The editor's fields of news.Article are handled in three places:
// sameContent (does an edit change what readers see), withContent (a
// draft of changes or a restored revision applied to the live article)
// and ArticleLines (what revisions are compared in). The plain fields are
// looped over there (news.ArticleFields, from their `field` tags); the
// others are written out by hand. A field added to news.Article with no
// tag and forgotten in one of them would be dropped silently; these tests
// change every field in turn and fail for one that a function misses,
// unless it is named below as not the editor's.

// notContent are the fields an editor does not write: kept by storage or
// the workflow, or derived from another field.
var notContent = []string{
	"ID", "Section" /* from SectionID */, "BodyText" /* from Body */, "Status", "Corrections",
	"CreatedAt", "PublishedAt", "UpdatedAt", "ModifiedAt", "Version", "CommentCount",
	"Image.Width", "Image.Height", "Image.SrcSet", // from the media file
}

// changedFields returns, for every field of news.Article the editor
// writes (descending into Image), a name and a copy of base with that
// field changed.
func changedFields(t *testing.T, base news.Article) map[string]news.Article {
	t.Helper()
	out := map[string]news.Article{}
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		f := typ.Field(i)
		if slices.Contains(notContent, f.Name) {
			continue
		}
		if f.Name == "Image" {
			it := reflect.TypeOf(news.Image{})
			for j := range it.NumField() {
				name := "Image." + it.Field(j).Name
				if slices.Contains(notContent, name) {
					continue
				}
				a := base
				img := *base.Image
				change(t, name, reflect.ValueOf(&img).Elem().Field(j))
				a.Image = &img
				out[name] = a
			}
			a := base
			a.Image = nil
			out["Image"] = a
			continue
		}
		a := base
		change(t, f.Name, reflect.ValueOf(&a).Elem().Field(i))
		if f.Name == "SectionID" {
			a.Section = news.Section{} // not loaded yet for the new id
		}
		out[f.Name] = a
	}
	return out
}

// change gives v a different value of its type.
func change(t *testing.T, name string, v reflect.Value) {
	t.Helper()
	switch x := v.Addr().Interface().(type) {
	case *string:
		*x = strings.TrimSpace(*x + " changed") // as Validate keeps it: "changed" when it was empty
	case *bool:
		*x = !*x
	case *int:
		*x += 7
	case *int64:
		*x += 7
	case *time.Time:
		*x = x.Add(time.Hour)
	case *[]string:
		*x = append(slices.Clone(*x), "changed")
	case *[]news.Author:
		*x = append(slices.Clone(*x), news.Author{ID: 99, Name: "Changed Name"})
	default:
		t.Fatalf("news.Article field %s is of type %s, which this test cannot change: teach change() to, and add the field to sameContent, withContent and ArticleLines", name, v.Type())
	}
}

// byHand are the editor's fields with no `field` tag: sameContent,
// withContent and ArticleLines name each of them.
var byHand = []string{"Slug", "SectionID", "Body", "Image", "Tags", "Authors", "EmbargoUntil"}

// A field of news.Article is tagged (a plain field: storage, editorial,
// the form and the APIs take it from the tag), or named in byHand or
// notContent. A new field that is none of these fails here, before it can
// be forgotten anywhere.
func TestEveryArticleFieldIsTaggedOrNamed(t *testing.T) {
	typ := reflect.TypeOf(news.Article{})
	tagged := map[string]bool{}
	for _, f := range news.ArticleFields {
		tagged[f.GoName] = true
	}
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		_, hasTag := typ.Field(i).Tag.Lookup("field")
		hand := slices.Contains(byHand, name) || slices.Contains(notContent, name)
		switch {
		case hasTag && hand:
			t.Errorf("news.Article.%s has a field tag and is also named in byHand or notContent: one or the other", name)
		case hasTag && !tagged[name]:
			t.Errorf("news.Article.%s has a field tag but is not in news.ArticleFields", name)
		case !hasTag && !hand:
			t.Errorf("news.Article.%s has no `field` tag and is not named in byHand or notContent: give a plain field a tag "+
				"(`field:\"name,options\" label:\"Label\"`, see internal/news/fields.go), or handle it by hand in sameContent, withContent and ArticleLines and name it in byHand", name)
		}
	}
	if len(news.ArticleFields) == 0 {
		t.Fatal("news.ArticleFields is empty, want the tagged fields")
	}
}

func fieldsBase() news.Article {
	at := time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)
	return news.Article{
		ID: 1, Slug: "a-story", SectionID: 2, Section: news.Section{ID: 2, Path: "business"}, Headline: "Headline", Dek: "Dek",
		Body: "Body.", BodyText: "Body.", Dateline: "SEOUL", Status: news.StatusPublished, SEOTitle: "SEO", SEODescription: "Description",
		Image: &news.Image{URL: "/media/a.jpg", Alt: "Alt", Caption: "Caption", Credit: "Credit", Width: 800, Height: 600},
		Tags:  []string{"trade"}, Authors: []news.Author{{ID: 3, Name: "Reporter"}},
		CreatedAt: at, PublishedAt: at, UpdatedAt: at, ModifiedAt: at, EmbargoUntil: at.Add(time.Hour), Version: 2,
	}
}

func TestSameContentSeesEveryField(t *testing.T) {
	base := fieldsBase()
	if !sameContent(base, base) {
		t.Fatal("sameContent(a, a) = false, want true")
	}
	for name, a := range changedFields(t, base) {
		if sameContent(base, a) {
			t.Errorf("sameContent misses %s: an edit of it alone would be saved as no change", name)
		}
	}
}

func TestWithContentCopiesEveryField(t *testing.T) {
	base := fieldsBase()
	for name, snap := range changedFields(t, base) {
		got := withContent(base, snap)
		if sameContent(got, snap) {
			continue
		}
		t.Errorf("withContent drops %s: a draft of changes or a restored revision would lose it", name)
	}
}

func TestArticleLinesShowEveryField(t *testing.T) {
	base := fieldsBase()
	want := strings.Join(ArticleLines(base), "\n")
	for name, a := range changedFields(t, base) {
		if strings.Join(ArticleLines(a), "\n") == want {
			t.Errorf("ArticleLines misses %s: a revision that changes only it would show no difference", name)
		}
	}
}
