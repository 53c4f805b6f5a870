package markup

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestParseEmbedProviders(t *testing.T) {
	cases := []struct{ in, provider, link, frame string }{
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"https://youtu.be/dQw4w9WgXcQ?t=90", "youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90"},
		{"https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=1m5s&list=x", "youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=65s", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=65"},
		{"https://www.youtube.com/embed/dQw4w9WgXcQ?si=abc", "youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"http://youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"https://vimeo.com/76979871", "vimeo", "https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"},
		{"https://player.vimeo.com/video/76979871?h=abc", "vimeo", "https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"},
		{"https://x.com/newsdesk/status/1234567890123456789", "x", "https://x.com/newsdesk/status/1234567890123456789", "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789&dnt=true"},
		{"https://twitter.com/newsdesk/status/1234567890?s=20", "x", "https://x.com/newsdesk/status/1234567890", "https://platform.twitter.com/embed/Tweet.html?id=1234567890&dnt=true"},
		{"https://www.instagram.com/p/C0deAbC12/", "instagram", "https://www.instagram.com/p/C0deAbC12/", "https://www.instagram.com/p/C0deAbC12/embed/"},
		{"https://instagram.com/reel/C0deAbC12/?igsh=x", "instagram", "https://www.instagram.com/reel/C0deAbC12/", "https://www.instagram.com/reel/C0deAbC12/embed/"},
		{"https://www.openstreetmap.org/#map=15/37.56650/126.97800", "openstreetmap", "https://www.openstreetmap.org/#map=15/37.56650/126.97800", ""},
		{"https://www.openstreetmap.org/?mlat=37.5665&mlon=126.978#map=15/37.5665/126.978", "openstreetmap", "https://www.openstreetmap.org/?mlat=37.56650&mlon=126.97800#map=15/37.56650/126.97800", ""},
		{"https://www.openstreetmap.org/export/embed.html?bbox=126.97,37.56,126.99,37.57&layer=mapnik&marker=37.565,126.98", "openstreetmap", "", "https://www.openstreetmap.org/export/embed.html?bbox=126.97000,37.56000,126.99000,37.57000&layer=mapnik&marker=37.56500,126.98000"},
		{"https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3162.6!2d126.97!3d37.56!2m3!1f0!2f0!3f0", "googlemaps", "", ""},
	}
	for _, c := range cases {
		e, ok := ParseEmbed(c.in)
		if !ok {
			t.Errorf("ParseEmbed(%q) refused, want %s", c.in, c.provider)
			continue
		}
		if e.Provider != c.provider {
			t.Errorf("ParseEmbed(%q).Provider = %q, want %q", c.in, e.Provider, c.provider)
		}
		if c.link != "" && e.Link != c.link {
			t.Errorf("ParseEmbed(%q).Link = %q, want %q", c.in, e.Link, c.link)
		}
		if c.frame != "" && e.Frame != c.frame {
			t.Errorf("ParseEmbed(%q).Frame = %q, want %q", c.in, e.Frame, c.frame)
		}
		if !frameURL.MatchString(e.Frame) {
			t.Errorf("ParseEmbed(%q).Frame = %q, not on an allowlisted frame host", c.in, e.Frame)
		}
		if u, err := url.Parse(e.Link); err != nil || u.Scheme != "https" {
			t.Errorf("ParseEmbed(%q).Link = %q, want an https URL", c.in, e.Link)
		}
	}
}

func TestParseEmbedRefusesHostile(t *testing.T) {
	for _, in := range []string{
		"javascript:alert(1)//https://www.youtube.com/watch?v=dQw4w9WgXcQ",
		"data:text/html,<iframe src=https://www.youtube.com/embed/dQw4w9WgXcQ>",
		"https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
		"https://evil.example/www.youtube.com/watch?v=dQw4w9WgXcQ",
		"https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
		"https://evil.example#@www.youtube.com/watch?v=dQw4w9WgXcQ",
		"https://notyoutube.com/watch?v=dQw4w9WgXcQ",
		"https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
		"https://www.youtube.com/watch?v=dQw4w9WgXc\"onload=x",
		"https://www.youtube.com/watch?v=short",
		"ftp://vimeo.com/76979871",
		"https://vimeo.com/abc",
		"https://vimeo.com.evil.example/76979871",
		"https://x.com/newsdesk/status/12ab",
		"https://x.com.evil.example/a/status/1",
		"https://www.instagram.com/p/<script>/",
		"https://www.openstreetmap.org/#map=15/999/126.978",
		"https://www.openstreetmap.org/export/embed.html?bbox=1,2,3",
		"https://www.google.com/maps/embed?pb=<script>",
		"https://www.google.com/search?q=maps",
		"https://maps.google.com.evil.example/maps/embed?pb=!1m18",
		"//www.youtube.com/watch?v=dQw4w9WgXcQ",
		"",
	} {
		if e, ok := ParseEmbed(in); ok {
			t.Errorf("ParseEmbed(%q) = %+v, want refused", in, e)
		}
	}
}

func TestEmbedPlaceholder(t *testing.T) {
	r := New()
	got := string(r.HTML("Before.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<https://vimeo.com/76979871>\n\nSee https://www.youtube.com/watch?v=dQw4w9WgXcQ in the text."))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	boxes := doc.Find("figure.embed .embed-box[data-embed-frame]")
	if boxes.Length() != 2 {
		t.Fatalf("embed boxes = %d, want 2 (a URL inside a sentence stays a link); HTML:\n%s", boxes.Length(), got)
	}
	yt := boxes.Eq(0)
	if f, _ := yt.Attr("data-embed-frame"); f != "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" {
		t.Errorf("frame = %q, want the youtube-nocookie player", f)
	}
	if !yt.HasClass("embed-wide") {
		t.Errorf("box class = %q, want embed-wide (the reserved 16:9 shape)", yt.AttrOr("class", ""))
	}
	link := yt.Find("a.embed-link")
	if href, _ := link.Attr("href"); href != "https://www.youtube.com/watch?v=dQw4w9WgXcQ" || link.Text() != "Watch on YouTube" {
		t.Errorf("link = %q %q, want the YouTube page and \"Watch on YouTube\"", href, link.Text())
	}
	if doc.Find("iframe, img, script").Length() != 0 {
		t.Errorf("placeholder loads something from the provider: %s", got)
	}
	if doc.Find("p a[href^='https://www.youtube.com']").Length() != 1 {
		t.Errorf("the URL inside a sentence should stay a plain link: %s", got)
	}
	if txt := r.Text("Before.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nAfter."); txt != "Before.\n\nAfter." {
		t.Errorf("Text = %q, want the embed left out of the plain text", txt)
	}
}

func TestRemovedHTMLReported(t *testing.T) {
	r := New()
	cases := []struct {
		in, report, mustNotText string
	}{
		{"Hello <script>alert(1)</script> world <script>steal()</script>", "removed: <script> (2)", "alert"},
		{"<script>\nvar secret = 1;\n</script>\n\nText <style>p{color:red}</style> and <b>bold</b>", "removed: <script>, <style>, <b>", "color:red"},
		{"Intro\n\n<iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" title=\"YouTube video player\" allowfullscreen></iframe>", "removed: <iframe> (replaced by an embed)", ""},
		{"<iframe src=\"https://evil.example/x\">fallback text</iframe>", "removed: <iframe>", "fallback"},
		{"Plain **Markdown** only.", "", ""},
	}
	for _, c := range cases {
		if got := r.Check(c.in).String(); got != c.report {
			t.Errorf("Check(%q) = %q, want %q", c.in, got, c.report)
		}
		if c.mustNotText == "" {
			continue
		}
		if h := string(r.HTML(c.in)); strings.Contains(h, c.mustNotText) {
			t.Errorf("HTML(%q) = %q, still holds %q", c.in, h, c.mustNotText)
		}
		if txt := r.Text(c.in); strings.Contains(txt, c.mustNotText) {
			t.Errorf("Text(%q) = %q, still holds %q", c.in, txt, c.mustNotText)
		}
	}
}

func TestNormalizeStoresEmbedURLs(t *testing.T) {
	r := New()
	cases := []struct{ in, want string }{
		{"Intro\n<iframe width=\"560\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?si=x\" allowfullscreen></iframe>\nAfter text.",
			"Intro\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nAfter text."},
		{"<blockquote class=\"twitter-tweet\"><p lang=\"en\">Hi</p>&mdash; A (@a) <a href=\"https://twitter.com/a/status/1234567890?ref_src=twsrc\">Jan 1</a></blockquote> <script async src=\"https://platform.twitter.com/widgets.js\"></script>\n\nMore.",
			"https://x.com/a/status/1234567890\n\nMore."},
		{"<blockquote class=\"instagram-media\" data-instgrm-permalink=\"https://www.instagram.com/p/C0deAbC12/?utm_source=ig_embed\"><a href=\"https://www.instagram.com/p/C0deAbC12/\">View</a></blockquote>\n<script async src=\"//www.instagram.com/embed.js\"></script>",
			"https://www.instagram.com/p/C0deAbC12/\n"},
		{"<iframe src=\"https://evil.example/x\"></iframe>", "<iframe src=\"https://evil.example/x\"></iframe>"},
		{"Keep <b>this</b> as written.", "Keep <b>this</b> as written."},
	}
	for _, c := range cases {
		got, _ := r.Normalize(c.in)
		if got != c.want {
			t.Errorf("Normalize(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		// Stored form renders to the same embed as the pasted code.
		if again, _ := r.Normalize(got); again != got {
			t.Errorf("Normalize is not stable: %q then %q", got, again)
		}
	}
}

func TestFrameHostsAreExact(t *testing.T) {
	want := map[string]bool{"https://www.youtube-nocookie.com": true, "https://player.vimeo.com": true, "https://platform.twitter.com": true,
		"https://www.instagram.com": true, "https://www.openstreetmap.org": true, "https://www.google.com": true}
	got := FrameHosts()
	if len(got) != len(want) {
		t.Errorf("FrameHosts = %v, want %d hosts", got, len(want))
	}
	for _, h := range got {
		if !want[h] {
			t.Errorf("FrameHosts has %q, not an embed player host", h)
		}
	}
}
