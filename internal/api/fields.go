package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"byline/internal/news"
)

// The APIs' article JSON is declared by Go structs (ArticleItem,
// ArticleDetail, AdminArticle, ArticleInput), and the plain fields of
// news.Article (news.ArticleFields, from their `field` tags) fill in what
// a struct does not name itself: the Content API shows the public ones,
// the Admin API shows and writes all of them, under their tag's name. So
// a new plain field is in both APIs with no code here; a struct that
// names a field (as they do the older ones) keeps it where it is.

var (
	// A detail is an item and its text: a field either names is not
	// added again.
	itemFields  = fieldsNotIn(true, ArticleItem{}, ArticleText{})
	adminFields = fieldsNotIn(false, AdminArticle{})
	inputFields = fieldsNotIn(false, ArticleInput{})
)

// fieldsNotIn are the plain fields (public ones only when public) that
// no struct of structs has a JSON key for.
func fieldsNotIn(public bool, structs ...any) []news.ArticleField {
	keys := map[string]bool{}
	for _, v := range structs {
		t := reflect.TypeOf(v)
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			keys[name] = true
		}
	}
	var out []news.ArticleField
	for _, f := range news.ArticleFields {
		if !keys[f.Name] && (f.Public || !public) {
			out = append(out, f)
		}
	}
	return out
}

// fieldValue is a plain field's name and value in JSON.
type fieldValue struct {
	name  string
	value any
}

func fieldValues(fields []news.ArticleField, ar *news.Article) []fieldValue {
	if len(fields) == 0 {
		return nil
	}
	out := make([]fieldValue, len(fields))
	for i, f := range fields {
		out[i] = fieldValue{f.Name, f.Value(ar)}
	}
	return out
}

// withFields adds fields at the end of the JSON object obj.
func withFields(obj []byte, err error, fields []fieldValue) ([]byte, error) {
	if err != nil || len(fields) == 0 {
		return obj, err
	}
	b := bytes.TrimSuffix(bytes.TrimSpace(obj), []byte("}"))
	for i, f := range fields {
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		if i > 0 || len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, `"`+f.name+`":`...)
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// rawField is a plain field as an Admin API client sent it.
type rawField struct {
	field news.ArticleField
	raw   json.RawMessage
}

// fieldsInput is implemented by ArticleInput (and what embeds it):
// decodeJSON hands it the body's plain-field keys the struct does not
// name, and decodes the rest strictly into the struct.
type fieldsInput interface{ takeFields(body []byte) []byte }

// takeFields moves the keys of inputFields out of the JSON object body into
// in.fields and returns the rest (body as it was when it is no object:
// the strict decoding that follows says what is wrong with it).
func (in *ArticleInput) takeFields(body []byte) []byte {
	in.fields = nil
	if len(inputFields) == 0 {
		return body
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil || obj == nil {
		return body
	}
	for _, f := range inputFields {
		if raw, ok := obj[f.Name]; ok {
			in.fields = append(in.fields, rawField{f, raw})
			delete(obj, f.Name)
		}
	}
	rest, err := json.Marshal(obj)
	if err != nil {
		return body
	}
	return rest
}

// applyFields sets the plain fields the client sent; null leaves a field
// as it is, like an absent one.
func (in ArticleInput) applyFields(ar *news.Article) error {
	for _, f := range in.fields {
		if err := json.Unmarshal(f.raw, f.field.Ptr(ar)); err != nil {
			want := map[reflect.Kind]string{reflect.String: "a string", reflect.Bool: "true or false", reflect.Int: "a whole number"}[f.field.Kind]
			return news.Invalid(f.field.Name, "the request body is not valid JSON for this endpoint: field %q must be %s", f.field.Name, want)
		}
	}
	return nil
}
