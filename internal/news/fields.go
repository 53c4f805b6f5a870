package news

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An article's plain fields — text, yes/no and whole numbers, each stored
// in a column of its own, written by editors and shown as they are — are
// declared once, on Article, with a `field` tag, and nowhere else:
//
//	Dateline string `field:"dateline,trim" label:"Dateline"`
//
// The tag's first word is the field's name everywhere outside Go: the
// column of the articles table, the input of the editor's form and the
// key in the Content API's and Admin API's JSON. The options:
//
//	trim     surrounding white space is removed (by Validate, and when
//	         read from the editor's form)
//	max=N    Validate refuses more than N characters
//	oneline  Validate refuses control characters (line breaks, tabs)
//	public   the Content API shows it (the Admin API shows and writes
//	         every field)
//
// label names the field in revisions ("Dateline: SEOUL") and is what the
// editor's form should call it.
//
// ArticleFields is read from those tags once, at start-up. Storage (the
// column lists, the scan and the write), editorial (does an edit change
// anything, copying a draft's fields, revision lines), the editor's form
// and both APIs loop over it, so a new plain field is its declaration, a
// migration per engine and the templates that show it (ARCHITECTURE.md,
// "Recipe: add a field to articles"). What has more to it than a column —
// ids, the section, bylines, tags, the image, the body and its text,
// status, times, version — has no tag and is written out where it is used;
// internal/editorial's fields_test.go fails for a field of Article that is
// neither tagged nor named there as handled by hand.

// ArticleField is one plain field of Article.
type ArticleField struct {
	Name    string // column, form input and JSON key
	Label   string // "Label: value" in revisions
	Kind    reflect.Kind
	Max     int // characters; 0: no limit of its own
	Trim    bool
	OneLine bool
	Public  bool
	GoName  string // Article.GoName
	index   int    // of the field in Article
}

// ArticleFields are Article's tagged fields, in their order in the struct.
var ArticleFields = articleFields()

func articleFields() []ArticleField {
	var out []ArticleField
	t := reflect.TypeOf(Article{})
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("field")
		if !ok {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		f := ArticleField{Name: name, Label: sf.Tag.Get("label"), Kind: sf.Type.Kind(), GoName: sf.Name, index: i}
		if name == "" || f.Label == "" {
			panic(fmt.Sprintf("news.Article.%s: a field tag needs a name and a label tag", sf.Name))
		}
		switch f.Kind {
		case reflect.String, reflect.Bool, reflect.Int:
		default:
			panic(fmt.Sprintf("news.Article.%s: a tagged field is a string, bool or int, not %s", sf.Name, sf.Type))
		}
		for _, o := range strings.Split(opts, ",") {
			switch {
			case o == "":
			case o == "trim":
				f.Trim = true
			case o == "oneline":
				f.OneLine = true
			case o == "public":
				f.Public = true
			case strings.HasPrefix(o, "max="):
				n, err := strconv.Atoi(strings.TrimPrefix(o, "max="))
				if err != nil || n <= 0 {
					panic(fmt.Sprintf("news.Article.%s: bad option %q", sf.Name, o))
				}
				f.Max = n
			default:
				panic(fmt.Sprintf("news.Article.%s: unknown field option %q", sf.Name, o))
			}
		}
		out = append(out, f)
	}
	return out
}

func (f ArticleField) of(a *Article) reflect.Value { return reflect.ValueOf(a).Elem().Field(f.index) }

// Ptr is a pointer to the field of a (a *string, *bool or *int): where a
// query's column is scanned to, or JSON decoded to.
func (f ArticleField) Ptr(a *Article) any { return f.of(a).Addr().Interface() }

// Value is the field's value in a (a string, bool or int).
func (f ArticleField) Value(a *Article) any { return f.of(a).Interface() }

// Text is the field's value as revisions show it.
func (f ArticleField) Text(a *Article) string {
	v := f.of(a)
	switch f.Kind {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	}
	return strconv.FormatInt(v.Int(), 10)
}

// Equal reports whether x and y hold the same value, y's white space
// trimmed first when the field is trimmed (y may not be validated yet).
func (f ArticleField) Equal(x, y *Article) bool {
	vx, vy := f.of(x), f.of(y)
	switch f.Kind {
	case reflect.String:
		s := vy.String()
		if f.Trim {
			s = strings.TrimSpace(s)
		}
		return vx.String() == s
	case reflect.Bool:
		return vx.Bool() == vy.Bool()
	}
	return vx.Int() == vy.Int()
}

// Copy sets the field of dst to its value in src.
func (f ArticleField) Copy(dst, src *Article) { f.of(dst).Set(f.of(src)) }

// SetForm sets the field from an HTML form's value: text as typed
// (trimmed for a trimmed field), a checkbox is true when sent at all, a
// number must be a whole number (empty: 0).
func (f ArticleField) SetForm(a *Article, s string) error {
	v := f.of(a)
	switch f.Kind {
	case reflect.String:
		if f.Trim {
			s = strings.TrimSpace(s)
		}
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(s != "")
	default:
		n := 0
		if s = strings.TrimSpace(s); s != "" {
			var err error
			if n, err = strconv.Atoi(s); err != nil {
				return Invalid(f.Name, "%s must be a whole number", strings.ToLower(f.Label))
			}
		}
		v.SetInt(int64(n))
	}
	return nil
}

// validateFields applies the tags' rules: trim, valid UTF-8, max, oneline.
func (a *Article) validateFields() error {
	for _, f := range ArticleFields {
		if f.Kind != reflect.String {
			continue
		}
		v := f.of(a)
		s := v.String()
		if f.Trim {
			s = strings.TrimSpace(s)
			v.SetString(s)
		}
		switch {
		case !utf8.ValidString(s):
			return Invalid(f.Name, "%s is not valid UTF-8 text", f.Name)
		case f.Max > 0 && utf8.RuneCountInString(s) > f.Max:
			return Invalid(f.Name, "%s is longer than %d characters", strings.ToLower(f.Label), f.Max)
		case f.OneLine && strings.ContainsFunc(s, unicode.IsControl):
			return Invalid(f.Name, "%s must be one line of text, without control characters", strings.ToLower(f.Label))
		}
	}
	return nil
}
