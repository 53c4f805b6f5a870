package comments

import (
	"strings"
	"testing"

	"byline/internal/news"
)

func TestLengthCountsGraphemes(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"abc", 3},
		{"안녕하세요", 5},
		{"\u1100\u1161\u11a8", 1}, // decomposed 각 is one character
		{"👍🏽", 1},                 // emoji with skin tone
		{"👨‍👩‍👧‍👦", 1},            // family (ZWJ sequence)
		{"🇰🇷🇺🇸", 2},               // two flags
		{"e\u0301", 1},            // e + combining acute
		{"한국어 text 🇰🇷", 10},
	}
	for _, tc := range tests {
		if got := Length(tc.in); got != tc.want {
			t.Errorf("Length(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestNormalizeBody(t *testing.T) {
	got, err := NormalizeBody("  \u1100\u1161\u11a8 \r\nline two\n\n\n\n\nthree\u202e  ")
	if err != nil {
		t.Fatal(err)
	}
	if want := "각\nline two\n\nthree"; got != want {
		t.Errorf("NormalizeBody = %q, want %q", got, want)
	}
	for _, bad := range []string{"", "   ", "\n\t\n", "\u200b\x00"} {
		if _, err := NormalizeBody(bad); news.KindOf(err) != news.KindInvalid {
			t.Errorf("NormalizeBody(%q) error = %v, want invalid", bad, err)
		}
	}
	if _, err := NormalizeBody("ok \xff\xfe"); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("invalid UTF-8: error = %v, want a UTF-8 refusal", err)
	}
	ok250 := strings.Repeat("가", 250)
	if _, err := NormalizeBody(ok250); err != nil {
		t.Errorf("250 Hangul syllables refused: %v", err)
	}
	if _, err := NormalizeBody(strings.Repeat("👍🏽", 250)); err != nil {
		t.Errorf("250 emoji with modifiers refused: %v", err)
	}
	_, err = NormalizeBody(ok250 + "나")
	if err == nil || !strings.Contains(err.Error(), "at most 250 characters") {
		t.Errorf("251 characters: error = %v, want 'at most 250 characters'", err)
	}
}

func TestNormalizeName(t *testing.T) {
	got, err := NormalizeName("  <b>Kim</b>\n\tMin-ji\u202e ")
	if err != nil || got != "<b>Kim</b> Min-ji" {
		t.Errorf("NormalizeName = %q, %v", got, err)
	}
	long, _ := NormalizeName(strings.Repeat("가", 60))
	if Length(long) != MaxNameGraphemes {
		t.Errorf("long name kept %d characters, want %d", Length(long), MaxNameGraphemes)
	}
	if _, err := NormalizeName(" \n "); err == nil {
		t.Error("empty name accepted")
	}
}

func TestHTMLEscapesAndLinks(t *testing.T) {
	got := string(HTML("<script>alert(1)</script>\nsee https://example.com/a?b=1&c=2. and www.example.org"))
	want := `&lt;script&gt;alert(1)&lt;/script&gt;<br>` + "\n" +
		`see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener" target="_blank">https://example.com/a?b=1&amp;c=2</a>. and ` +
		`<a href="https://www.example.org" rel="nofollow ugc noopener" target="_blank">www.example.org</a>`
	if got != want {
		t.Errorf("HTML =\n%s\nwant\n%s", got, want)
	}
	if s := string(HTML(`javascript:alert(1) "onmouseover=x`)); strings.Contains(s, "<a") || strings.Contains(s, `"`) {
		t.Errorf("HTML made a link or kept a quote: %s", s)
	}
	if n := CountLinks("a http://x.io b https://y.io www.z.io"); n != 3 {
		t.Errorf("CountLinks = %d, want 3", n)
	}
}

func TestBannedMatch(t *testing.T) {
	words := []string{"idiot", "Moron"}
	subs := []string{"바보", "씨발"}
	tests := []struct {
		in   string
		want bool
	}{
		{"you idiot!", true},
		{"IDIOT", true},
		{"idiotic plan", false}, // whole word only
		{"a moron.", true},
		{"oxymoronic", false},
		{"너 바보야", true}, // Korean stem with a particle
		{"바보같은", true},
		{"좋은 기사입니다", false},
	}
	for _, tc := range tests {
		_, got := BannedMatch(tc.in, words, subs)
		if got != tc.want {
			t.Errorf("BannedMatch(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := ParseWordList("a, b\n\nB\r\n 바보 "); strings.Join(got, "|") != "a|b|바보" {
		t.Errorf("ParseWordList = %q", got)
	}
}

func TestPolicyClauses(t *testing.T) {
	p := news.PolicyVersion{Body: DefaultPolicy}
	cl := p.Clauses()
	if len(cl) != 7 || cl[0].Number != "1" || cl[1].Title != "Be civil" {
		t.Fatalf("clauses = %+v", cl)
	}
	if c, ok := p.Clause("5"); !ok || !strings.Contains(c.Body, "repeated") {
		t.Errorf("clause 5 = %+v, %v", c, ok)
	}
	if _, ok := p.Clause("99"); ok {
		t.Error("clause 99 found")
	}
}
