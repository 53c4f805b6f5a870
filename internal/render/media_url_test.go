package render

import "testing"

func TestRewriteMedia(t *testing.T) {
	const base = "https://cdn.example.com/paper"
	for _, tc := range []struct{ in, want string }{
		{`<img src="/media/2026/01/a.jpg" alt="x">`, `<img src="https://cdn.example.com/paper/2026/01/a.jpg" alt="x">`},
		{`<img src="/media/a.jpg" srcset="/media/a-480.jpg 480w, /media/a-960.jpg 960w, /media/a.jpg 2000w" sizes="100vw">`,
			`<img src="https://cdn.example.com/paper/a.jpg" srcset="https://cdn.example.com/paper/a-480.jpg 480w, https://cdn.example.com/paper/a-960.jpg 960w, https://cdn.example.com/paper/a.jpg 2000w" sizes="100vw">`},
		{`<a href="/media/doc.png">file</a>`, `<a href="https://cdn.example.com/paper/doc.png">file</a>`},
		// Text mentioning the path, other sites' media and other paths stay.
		{`<p>files live under /media/ and , /media/ too</p><img src="https://other.example/media/x.jpg"><a href="/section/media/">s</a>`,
			`<p>files live under /media/ and , /media/ too</p><img src="https://other.example/media/x.jpg"><a href="/section/media/">s</a>`},
		{`<p>no media</p>`, `<p>no media</p>`},
		{`<img srcset="/media/a-1.jpg 1w, /media/b.jpg 2w"><p>, /media/ after</p><img srcset="x 1w, /media/c.jpg 2w">`,
			`<img srcset="https://cdn.example.com/paper/a-1.jpg 1w, https://cdn.example.com/paper/b.jpg 2w"><p>, /media/ after</p><img srcset="x 1w, https://cdn.example.com/paper/c.jpg 2w">`},
	} {
		if got := string(RewriteMedia([]byte(tc.in), base)); got != tc.want {
			t.Errorf("RewriteMedia(%s)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// BenchmarkRewriteMedia is the cost --media-url adds to rendering a page
// (once per page: pages are cached): a 60 KB page with 20 images.
func BenchmarkRewriteMedia(b *testing.B) {
	var page []byte
	for range 20 {
		page = append(page, `<article><img src="/media/2026/01/abcdef0123456789.jpg" srcset="/media/2026/01/abcdef0123456789-480.jpg 480w, /media/2026/01/abcdef0123456789-960.jpg 960w, /media/2026/01/abcdef0123456789.jpg 1600w" alt="x">`...)
		for range 25 {
			page = append(page, "<p>Text of the story, long enough to be a real paragraph of a newspaper article.</p>\n"...)
		}
		page = append(page, "</article>"...)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		RewriteMedia(page, "https://cdn.example.com/paper")
	}
}
