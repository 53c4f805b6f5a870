package news

import (
	"errors"
	"strings"
	"testing"
)

// TestValidate covers the rules both engines used to write for themselves.
func TestValidate(t *testing.T) {
	long := strings.Repeat("x", 4001)
	for _, c := range []struct {
		name  string
		err   error
		field string // "" when valid
	}{
		{"correction ok", (&Correction{Body: " Fixed the date. "}).Validate(), ""},
		{"correction empty", (&Correction{Body: "  "}).Validate(), "body"},
		{"correction long", (&Correction{Body: long}).Validate(), "body"},
		{"correction kind", (&Correction{Body: "x", Kind: "retraction"}).Validate(), "kind"},
		{"status ok", CommentApproved.Validate(), ""},
		{"status unknown", CommentStatus("lost").Validate(), "status"},
		{"mode unknown", ArticleCommentMode("maybe").Validate(), "mode"},
		{"report without clause", (&CommentReport{}).Validate(), "clause"},
		{"edit empty", ValidateText(" \n"), "body"},
		{"edit ok", ValidateText("fine"), ""},
		{"import without id", (&Comment{}).ValidateImport(), "external_id"},
		{"policy empty", (&PolicyVersion{Body: " "}).Validate(), "body"},
		{"policy without clauses", (&PolicyVersion{Body: "Be nice."}).Validate(), "body"},
		{"policy ok", (&PolicyVersion{Body: "## 1. Be civil\nNo insults."}).Validate(), ""},
		{"settings mode", CommentSettings{Mode: "later"}.Validate(), "mode"},
		{"reader without subject", (&Reader{Provider: "github", Name: "A"}).Validate(), "subject"},
		{"reader without name", (&Reader{Provider: "github", Subject: "1", Name: " "}).Validate(), "name"},
		{"redirect relative", Redirect{From: "old", To: "/new"}.Validate(), "path"},
		{"redirect to itself", Redirect{From: "/a", To: "/a"}.Validate(), "path"},
		{"redirect ok", Redirect{From: "/a", To: "/b"}.Validate(), ""},
	} {
		if c.field == "" {
			if c.err != nil {
				t.Errorf("%s: got %v, want no error", c.name, c.err)
			}
			continue
		}
		var e *Error
		if !errors.As(c.err, &e) || e.Kind != KindInvalid || e.Field != c.field {
			t.Errorf("%s: got %v, want an invalid-%s error", c.name, c.err, c.field)
		}
	}
	c := Correction{Body: " Fixed. "}
	if err := c.Validate(); err != nil || c.Body != "Fixed." || c.Kind != KindCorrection {
		t.Errorf("correction after Validate = %+v (%v), want trimmed body and kind correction", c, err)
	}
}
