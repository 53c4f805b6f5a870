package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every word a comment page asks for exists in both languages, so a
// Korean reader never meets an empty heading or a stray English line.
func TestPageTextComplete(t *testing.T) {
	for key := range pageText["en"] {
		if pageText["ko"][key] == "" {
			t.Errorf("%q has no Korean text", key)
		}
	}
	for key := range pageText["ko"] {
		if _, ok := pageText["en"][key]; !ok && key != "asWritten" {
			t.Errorf("%q has Korean text but no English", key)
		}
	}
	files, err := filepath.Glob("../../render/templates/comments_*.html")
	if err != nil || len(files) < 4 {
		t.Fatalf("comment page templates: %v %v", files, err)
	}
	files = append(files, "../../render/templates/partials/comments_lang.html")
	used := regexp.MustCompile(`\.T\.(\w+)`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if _, ok := pageText["en"][m[1]]; !ok && m[1] != "asWritten" {
				t.Errorf("%s uses .T.%s, which is not in the catalog", filepath.Base(f), m[1])
			}
		}
	}
}

func TestLoginErrorText(t *testing.T) {
	for _, c := range []struct{ lang, in, want string }{
		{"en", "This sign-in provider is not available on this site.", "This sign-in provider is not available on this site."},
		{"ko", "This sign-in provider is not available on this site.", "이 사이트에서는 이 로그인 방식을 쓸 수 없습니다."},
		{"ko", "Facebook could not be reached. Please try again later.", "Facebook에 연결하지 못했습니다. 잠시 뒤 다시 시도해 주세요."},
		{"ko", "The sign-in was cancelled at X. You have not been signed in.", "X에서 로그인이 취소되었습니다. 로그인되지 않았습니다."},
		{"ko", "Something nobody listed.", "Something nobody listed."},
		{"ko", "GitHub refused the sign-in (server_error). You have not been signed in.", "GitHub에서 로그인을 거절했습니다(server_error). 로그인되지 않았습니다."},
		{"ko", "The sign-in token from Google was not valid. You have not been signed in.", "Google에서 받은 로그인 정보가 올바르지 않습니다. 로그인되지 않았습니다."},
		{"ko", "We could not confirm your account with X. Please try again.", "X 계정을 확인하지 못했습니다. 다시 시도해 주세요."},
		{"ko", "please choose a display name", "표시 이름을 정해 주세요."},
	} {
		if got := loginErrorText(c.lang, c.in); got != c.want {
			t.Errorf("loginErrorText(%s, %q) = %q, want %q", c.lang, c.in, got, c.want)
		}
	}

	// Every fixed message the sign-in can show has its Korean.
	src, err := os.ReadFile("../../readerauth/readerauth.go")
	if err != nil {
		t.Fatal(err)
	}
	fixed := regexp.MustCompile(`pages\.LoginError\(w, r, [\w.]+, "([^"]+)"\)`).FindAllStringSubmatch(string(src), -1)
	if len(fixed) < 8 {
		t.Fatalf("found %d fixed sign-in messages in readerauth.go, want at least 8 (has the call changed?)", len(fixed))
	}
	for _, m := range fixed {
		if loginErrorText("ko", m[1]) == m[1] {
			t.Errorf("sign-in message %q has no Korean", m[1])
		}
	}
}

// TestBoxTextMatchesScript: every word of the box the server draws is
// the word comments.js draws for the same key and language, so the box
// does not change when the script runs.
func TestBoxTextMatchesScript(t *testing.T) {
	src, err := os.ReadFile("../../render/assets/comments.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(src)
	pair := regexp.MustCompile(`(\w+): '((?:[^'\\]|\\.)*)'`)
	for _, lang := range []string{"en", "ko"} {
		start := strings.Index(js, "\n    "+lang+": {")
		if start < 0 {
			t.Fatalf("comments.js has no %s words", lang)
		}
		end := strings.Index(js[start:], "\n    }")
		script := map[string]string{}
		for _, m := range pair.FindAllStringSubmatch(js[start:start+end], -1) {
			script[m[1]] = m[2]
		}
		shared := 0
		for key, want := range boxText[lang] {
			got, ok := script[key]
			if !ok {
				continue
			}
			shared++
			if got != want {
				t.Errorf("%s %q: comments.js says %q, the server %q", lang, key, got, want)
			}
		}
		if shared < 25 {
			t.Errorf("%s: only %d words shared by the server's box and comments.js, want at least 25", lang, shared)
		}
	}
}

// TestErrorTextKO: every refusal translated is still one the code can
// give (a reworded English message would silently lose its Korean), and
// one not listed stays English.
func TestErrorTextKO(t *testing.T) {
	var src strings.Builder
	for _, pat := range []string{"../*.go", "../../news/*.go", "*.go"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "i18n.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src.Write(b)
		}
	}
	for en := range errorsKO {
		if !strings.Contains(src.String(), `"`+en+`"`) {
			t.Errorf("errorsKO has %q, which no refusal of comments, news or this package says any more", en)
		}
	}
	if got, ok := errorTextKO("decisions can be appealed for six months; this one was made on 2026-01-02"); !ok || got != "결정 뒤 6개월 동안 이의를 신청할 수 있습니다. 이 결정은 2026-01-02에 내려졌습니다." {
		t.Errorf("appeal window: %q %v", got, ok)
	}
	if got, ok := errorTextKO("a refusal nobody translated"); ok || got != "a refusal nobody translated" {
		t.Errorf("unknown refusal: %q %v, want it unchanged and false", got, ok)
	}
}
