package news

import (
	"reflect"
	"strings"
	"testing"
)

func TestArticleFieldsFromTags(t *testing.T) {
	byName := map[string]ArticleField{}
	for _, f := range ArticleFields {
		byName[f.Name] = f
	}
	for _, want := range []ArticleField{
		{Name: "headline", Label: "Headline", Kind: reflect.String, Trim: true, Public: true, GoName: "Headline"},
		{Name: "seo_title", Label: "SEO title", Kind: reflect.String, Trim: true, GoName: "SEOTitle"},
		{Name: "top", Label: "Top story", Kind: reflect.Bool, Public: true, GoName: "Top"},
	} {
		got, ok := byName[want.Name]
		got.index = 0
		if !ok || got != want {
			t.Errorf("ArticleFields[%s] = %+v (found %v), want %+v", want.Name, got, ok, want)
		}
	}
	if _, ok := byName["body"]; ok {
		t.Error("body is in ArticleFields; it has more to it than a column and is handled by hand")
	}
}

func TestArticleFieldAccess(t *testing.T) {
	a := Article{Headline: "Old", Top: true}
	for _, f := range ArticleFields {
		switch f.Name {
		case "headline":
			*f.Ptr(&a).(*string) = "New"
			if got := f.Value(&a); got != "New" {
				t.Errorf("headline Value = %v, want New after a write through Ptr", got)
			}
			if err := f.SetForm(&a, "  Typed  "); err != nil || a.Headline != "Typed" {
				t.Errorf("SetForm(headline) = %v, headline %q; want nil, %q (trimmed)", err, a.Headline, "Typed")
			}
			if !f.Equal(&a, &Article{Headline: " Typed\n"}) || f.Equal(&a, &Article{Headline: "Other"}) {
				t.Error("Equal(headline) does not compare trimmed text")
			}
		case "top":
			if f.Text(&a) != "true" {
				t.Errorf("top Text = %q, want true", f.Text(&a))
			}
			if err := f.SetForm(&a, ""); err != nil || a.Top {
				t.Errorf("SetForm(top, \"\") = %v, top %v; want nil, false (an unticked box is not sent)", err, a.Top)
			}
			var b Article
			f.Copy(&b, &Article{Top: true})
			if !b.Top {
				t.Error("Copy(top) did not copy")
			}
		}
	}
}

func TestValidateAppliesFieldTags(t *testing.T) {
	a := Article{Headline: "  A headline  ", SEOTitle: " SEO ", SectionID: 1}
	if err := a.Validate(); err != nil {
		t.Fatalf("Validate = %v, want nil", err)
	}
	if a.Headline != "A headline" || a.SEOTitle != "SEO" {
		t.Errorf("Validate left %q, %q; want trimmed text", a.Headline, a.SEOTitle)
	}
	a = Article{Headline: "Fine", SEODescription: "bad \xff", SectionID: 1}
	err := a.Validate()
	if e, ok := err.(*Error); !ok || e.Field != "seo_description" || !strings.Contains(e.Message, "UTF-8") {
		t.Errorf("Validate(bad UTF-8 seo_description) = %v, want an error on seo_description", err)
	}
}
