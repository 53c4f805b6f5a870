package wpimport

import (
	"bytes"
	"fmt"
	"testing"
)

// synthetic writes a WXR export of n posts in 10 categories with tags,
// a comment each and a few paragraphs of HTML.
func synthetic(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:base_site_url>https://bench.example</wp:base_site_url>
<wp:author><wp:author_login>writer</wp:author_login><wp:author_display_name>A Writer</wp:author_display_name></wp:author>
`)
	for c := 0; c < 10; c++ {
		fmt.Fprintf(&b, "<wp:category><wp:category_nicename>cat-%d</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Category %d</wp:cat_name></wp:category>\n", c, c)
	}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<item><title>Story number %d about the harbour</title><link>https://bench.example/2020/01/story-%d/</link><dc:creator>writer</dc:creator>
<content:encoded><![CDATA[The first paragraph of story %d with <strong>bold</strong> and <a href="https://x.example/">a link</a>.

The second paragraph, a little longer, so that the body looks like news: the council met, the mayor spoke, the budget passed.

<h2>More</h2>
<ul><li>One</li><li>Two</li></ul>]]></content:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date_gmt>2020-01-02 03:04:05</wp:post_date_gmt><wp:post_name>story-%d</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="cat-%d">Category</category><category domain="post_tag" nicename="t%d">Tag %d</category>
<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Reader</wp:comment_author><wp:comment_date_gmt>2020-01-02 05:00:00</wp:comment_date_gmt><wp:comment_content>Good story.</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
</item>
`, i, i, i, i, i, i%10, i%50, i%50, i)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// BenchmarkImport reports items/s for a 2,000-post export into SQLite.
func BenchmarkImport(b *testing.B) {
	data := synthetic(2000)
	for b.Loop() {
		st := openStore(b)
		stats, err := Import(ctx, bytes.NewReader(data), deps(st), Options{})
		if err != nil || stats.Posts != 2000 {
			b.Fatalf("%+v %v", stats, err)
		}
		b.ReportMetric(float64(stats.Posts)/stats.Duration.Seconds(), "items/s")
	}
}

// BenchmarkCheck is the first pass alone (parsing and limits).
func BenchmarkCheck(b *testing.B) {
	data := synthetic(2000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Check(bytes.NewReader(data), DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}
