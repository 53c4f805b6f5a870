package comments

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// BannedMatch finds the first banned word or substring in body: whole
// words must stand between non-letters ("ass" does not match "class");
// substrings match anywhere, which suits Korean, where particles attach
// to words ("바보야" holds "바보"). Matching ignores case.
func BannedMatch(body string, words, substrings []string) (string, bool) {
	low := strings.ToLower(norm.NFC.String(body))
	for _, w := range substrings {
		w = strings.ToLower(norm.NFC.String(strings.TrimSpace(w)))
		if w != "" && strings.Contains(low, w) {
			return w, true
		}
	}
	for _, w := range words {
		w = strings.ToLower(norm.NFC.String(strings.TrimSpace(w)))
		if w == "" {
			continue
		}
		for i := 0; ; {
			j := strings.Index(low[i:], w)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(w)
			if boundaryBefore(low, start) && boundaryAfter(low, end) {
				return w, true
			}
			i = start + 1
		}
	}
	return "", false
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r := []rune(s[:i])
	return !isWordRune(r[len(r)-1])
}

func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	for _, r := range s[i:] {
		return !isWordRune(r)
	}
	return true
}

// ParseWordList reads a list typed one entry a line (or comma-separated).
func ParseWordList(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == '\r' }) {
		f = strings.TrimSpace(norm.NFC.String(f))
		if f != "" && !seen[strings.ToLower(f)] {
			seen[strings.ToLower(f)] = true
			out = append(out, f)
		}
	}
	return out
}
