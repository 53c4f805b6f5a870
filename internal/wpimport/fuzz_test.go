package wpimport

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzWXR: the WXR reader answers every file with a count or an error,
// the same way twice, never counts more items than the file has item
// tags, and keeps to its limits; ToMarkdown never panics and keeps no
// script element.
//
//	go test ./internal/wpimport/ -run '^$' -fuzz FuzzWXR -fuzztime 30s
func FuzzWXR(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0"?><rss><channel><item><title>A</title><wp:post_id>1</wp:post_id><content:encoded><![CDATA[<p>Hi</p>]]></content:encoded></item></channel></rss>`,
		`<rss><channel></channel></rss>`,
		`<!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel><item>&a;</item></channel></rss>`,
		`<rss><channel><item><item><item></item></item></item></channel></rss>`,
		`not xml at all`,
		`<rss><channel><item><title>A</title>`,
	} {
		f.Add([]byte(s))
	}
	lim := Limits{MaxField: 4 << 10, MaxChildren: 50, MaxDepth: 8, MaxEntry: 16 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Check(bytes.NewReader(data), lim)
		n2, err2 := Check(bytes.NewReader(data), lim)
		if n != n2 || (err == nil) != (err2 == nil) {
			t.Errorf("Check twice: %d, %v then %d, %v", n, err, n2, err2)
		}
		if n < 0 || n > bytes.Count(data, []byte("item")) {
			t.Errorf("Check counted %d items in a file with %d 'item' names", n, bytes.Count(data, []byte("item")))
		}
		if err == nil && n == 0 && !bytes.Contains(data, []byte("channel")) {
			t.Errorf("a file without a channel was accepted")
		}
		md := ToMarkdown(string(data))
		if strings.Contains(strings.ToLower(md), "<script") && !bytes.Contains(bytes.ToLower(data), []byte("script")) {
			t.Errorf("ToMarkdown made a script tag from %q", data)
		}
	})
}
