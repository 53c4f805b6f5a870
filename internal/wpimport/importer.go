package wpimport

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"byline/internal/markup"
	"byline/internal/news"
)

// Redirector keeps old paths that 301 to new ones (the newsroom's
// redirects table).
type Redirector interface {
	PutRedirect(ctx context.Context, from, to string) error
}

// CommentImporter takes imported comments (the comments feature's store).
type CommentImporter interface {
	ImportComment(ctx context.Context, c *news.Comment) error
}

// MediaImporter stores a local image file in the media library.
type MediaImporter interface {
	Upload(ctx context.Context, data []byte, meta news.Media) (news.Media, error)
}

// Options say what to import and how.
type Options struct {
	DryRun bool
	// AuthorDefault is the slug of the author of posts whose WordPress
	// author is unknown.
	AuthorDefault string
	// Pages imports pages too, into a "Pages" section.
	Pages bool
	// MediaDir holds the site's wp-content/uploads files; featured images
	// found there are imported into the media library. Without it (or
	// when a file is missing) the absolute URL is kept.
	MediaDir string
	Limits   Limits
	// Log receives one line per warning.
	Log io.Writer
}

// Deps are the stores the importer writes to.
type Deps struct {
	Store    news.Store
	Imports  news.ImportStore
	Redirect Redirector      // optional
	Comments CommentImporter // optional: else comments are staged
	Media    MediaImporter   // optional: needed for --media-dir
	Markup   *markup.Renderer
}

// Stats counts what an import did.
type Stats struct {
	Items, Posts, Pages, Drafts         int
	Skipped, AlreadyImported, Failed    int
	Sections, Authors, Comments, Images int
	Redirects                           int
	Duration                            time.Duration
}

func (s Stats) String() string {
	return fmt.Sprintf("%d items read: %d posts and %d pages imported (%d of them drafts), %d already imported, %d skipped, %d failed; "+
		"%d sections and %d authors created, %d comments, %d featured images, %d redirects; %s",
		s.Items, s.Posts, s.Pages, s.Drafts, s.AlreadyImported, s.Skipped, s.Failed, s.Sections, s.Authors, s.Comments, s.Images, s.Redirects,
		s.Duration.Round(time.Millisecond))
}

type category struct{ nicename, parent, name, description string }

type pendingImage struct {
	articleID int64
	thumbID   string
	headline  string
}

type attachment struct{ url, alt, title, file string }

// Importer runs one import.
type Importer struct {
	d      Deps
	opt    Options
	source string
	stats  Stats
	tree   *news.Tree
	// WordPress categories by nicename, and the section each became.
	cats     map[string]category
	sections map[string]int64
	authors  map[string]int64 // wp login -> author id
	wpAuth   map[string]news.Author
	defAuth  *news.Author
	atts     map[string]attachment
	pending  []pendingImage
	pagesSec int64
}

// Check reads a whole WXR file without importing anything: syntax,
// hostile constructs and limits. It returns the number of items.
func Check(r io.Reader, lim Limits) (int, error) {
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	rd := newReader(r, lim)
	items := 0
	for {
		n, err := rd.next()
		if err == io.EOF {
			if items == 0 && !rd.sawChannel {
				return 0, &Error{Msg: "the file holds no WordPress content (no <rss><channel>); is it a WXR export?"}
			}
			return items, nil
		}
		if err != nil {
			return items, err
		}
		if n.name == "item" {
			items++
		}
	}
}

// Import checks the whole file first (so a truncated, malformed or
// hostile file changes nothing), then reads it again and imports it.
func Import(ctx context.Context, r io.ReadSeeker, d Deps, opt Options) (Stats, error) {
	if _, err := Check(r, opt.Limits); err != nil {
		return Stats{}, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return Stats{}, err
	}
	return importStream(ctx, r, d, opt)
}

func importStream(ctx context.Context, r io.Reader, d Deps, opt Options) (Stats, error) {
	start := time.Now()
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if d.Markup == nil {
		d.Markup = markup.New()
	}
	im := &Importer{d: d, opt: opt, source: "wordpress", cats: map[string]category{}, sections: map[string]int64{},
		authors: map[string]int64{}, wpAuth: map[string]news.Author{}, atts: map[string]attachment{}}
	if opt.AuthorDefault != "" {
		a, err := d.Store.AuthorBySlug(ctx, opt.AuthorDefault)
		if err != nil {
			return im.stats, fmt.Errorf("--author-default %s: %w", opt.AuthorDefault, err)
		}
		im.defAuth = &a
	}
	if err := im.reloadTree(ctx); err != nil {
		return im.stats, err
	}
	rd := newReader(r, opt.Limits)
	for {
		n, err := rd.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			im.stats.Duration = time.Since(start)
			return im.stats, err
		}
		if err := im.entry(ctx, n); err != nil {
			im.stats.Duration = time.Since(start)
			return im.stats, err
		}
	}
	if err := im.finishImages(ctx); err != nil {
		return im.stats, err
	}
	im.stats.Duration = time.Since(start)
	return im.stats, nil
}

func (im *Importer) warn(format string, args ...any) {
	fmt.Fprintf(im.opt.Log, "warning: "+format+"\n", args...)
}

func (im *Importer) reloadTree(ctx context.Context) error {
	secs, err := im.d.Store.ListSections(ctx)
	if err != nil {
		return err
	}
	im.tree = news.NewTree(secs)
	return nil
}

func (im *Importer) entry(ctx context.Context, n *node) error {
	switch n.name {
	case "wp:base_site_url":
		if u := strings.TrimSpace(n.text.String()); u != "" {
			im.source = "wordpress:" + strings.TrimRight(u, "/")
		}
	case "wp:author":
		login := n.get("wp:author_login")
		if login == "" {
			return nil
		}
		name := n.get("wp:author_display_name")
		if name == "" {
			name = strings.TrimSpace(n.get("wp:author_first_name") + " " + n.get("wp:author_last_name"))
		}
		if name == "" {
			name = login
		}
		im.wpAuth[login] = news.Author{Name: clip(html.UnescapeString(name), 100), Slug: news.Slugify(login), Email: n.get("wp:author_email")}
	case "wp:category":
		c := category{nicename: n.get("wp:category_nicename"), parent: n.get("wp:category_parent"), name: html.UnescapeString(n.get("wp:cat_name")),
			description: n.get("wp:category_description")}
		if c.nicename == "" {
			c.nicename = news.Slugify(c.name)
		}
		im.cats[c.nicename] = c
	case "item":
		im.stats.Items++
		return im.item(ctx, n)
	}
	return nil
}

// section returns the section of a WordPress category, creating it (and
// its parents) the first time.
func (im *Importer) section(ctx context.Context, nicename, name string, depth int) (int64, error) {
	if id, ok := im.sections[nicename]; ok {
		return id, nil
	}
	if depth > 10 {
		return 0, fmt.Errorf("category %q: parent chain is too deep or circular", nicename)
	}
	if id, err := im.d.Imports.ImportMapping(ctx, im.source, "category", nicename); err == nil {
		if _, ok := im.tree.ByID(id); ok {
			im.sections[nicename] = id
			return id, nil
		}
	} else if !news.IsNotFound(err) {
		return 0, err
	}
	c, ok := im.cats[nicename]
	if !ok {
		c = category{nicename: nicename, name: name}
	}
	if c.name == "" {
		c.name = nicename
	}
	var parentID int64
	parentPath := ""
	if c.parent != "" && c.parent != nicename {
		pid, err := im.section(ctx, c.parent, "", depth+1)
		if err != nil {
			return 0, err
		}
		parentID = pid
		if p, ok := im.tree.ByID(pid); ok {
			parentPath = p.Path + "/"
		}
	}
	slug := news.Slugify(c.nicename)
	if s, ok := im.tree.ByPath(parentPath + slug); ok {
		// The paper already has this section: use it.
		im.sections[nicename] = s.ID
		if !im.opt.DryRun {
			if err := im.d.Imports.SetImportMapping(ctx, im.source, "category", nicename, s.ID); err != nil {
				return 0, err
			}
		}
		return s.ID, nil
	}
	if im.opt.DryRun {
		im.stats.Sections++
		id := -int64(len(im.sections) + 1)
		im.sections[nicename] = id
		return id, nil
	}
	sec := news.Section{Name: clip(c.name, 80), Slug: slug, ParentID: parentID, Description: clip(html.UnescapeString(c.description), 1000)}
	if err := im.d.Store.CreateSection(ctx, &sec); err != nil {
		return 0, fmt.Errorf("create section for category %q: %w", nicename, err)
	}
	im.stats.Sections++
	if err := im.d.Imports.SetImportMapping(ctx, im.source, "category", nicename, sec.ID); err != nil {
		return 0, err
	}
	im.sections[nicename] = sec.ID
	return sec.ID, im.reloadTree(ctx)
}

// author returns the Byline author of a WordPress login.
func (im *Importer) author(ctx context.Context, login string) (news.Author, error) {
	if id, ok := im.authors[login]; ok {
		return news.Author{ID: id}, nil
	}
	wa, known := im.wpAuth[login]
	if !known {
		if im.defAuth != nil {
			return *im.defAuth, nil
		}
		if login == "" {
			return news.Author{}, errors.New("the post names no author; give --author-default SLUG")
		}
		wa = news.Author{Name: login, Slug: news.Slugify(login)}
	}
	if id, err := im.d.Imports.ImportMapping(ctx, im.source, "author", login); err == nil {
		im.authors[login] = id
		return news.Author{ID: id}, nil
	} else if !news.IsNotFound(err) {
		return news.Author{}, err
	}
	if existing, err := im.d.Store.AuthorBySlug(ctx, wa.Slug); err == nil {
		im.authors[login] = existing.ID
		if !im.opt.DryRun {
			return existing, im.d.Imports.SetImportMapping(ctx, im.source, "author", login, existing.ID)
		}
		return existing, nil
	}
	if im.opt.DryRun {
		im.stats.Authors++
		im.authors[login] = -1
		return news.Author{ID: -1}, nil
	}
	if err := wa.Validate(); err != nil {
		wa.Email = "" // WordPress allows e-mails we would refuse; the name matters
		if err := wa.Validate(); err != nil {
			return news.Author{}, fmt.Errorf("author %q: %w", login, err)
		}
	}
	if err := im.d.Store.CreateAuthor(ctx, &wa); err != nil {
		return news.Author{}, fmt.Errorf("create author %q: %w", login, err)
	}
	im.stats.Authors++
	im.authors[login] = wa.ID
	return wa, im.d.Imports.SetImportMapping(ctx, im.source, "author", login, wa.ID)
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// plain strips tags and entities from a title or excerpt.
func plain(s string) string {
	s = html.UnescapeString(tagRe.ReplaceAllString(s, ""))
	return strings.Join(strings.Fields(s), " ")
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// wpTime parses WordPress' "2019-05-03 08:15:00" (UTC when from
// post_date_gmt), falling back to the RSS pubDate.
func wpTime(gmt, local, pub string) time.Time {
	for _, v := range []string{gmt, local} {
		if v == "" || strings.HasPrefix(v, "0000") {
			continue
		}
		if t, err := time.Parse("2006-01-02 15:04:05", v); err == nil {
			return t.UTC()
		}
	}
	if t, err := time.Parse(time.RFC1123Z, pub); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

func (im *Importer) item(ctx context.Context, n *node) error {
	id := n.get("wp:post_id")
	typ := n.get("wp:post_type")
	switch typ {
	case "attachment":
		a := attachment{url: n.get("wp:attachment_url"), title: plain(n.get("title"))}
		for _, m := range n.all("wp:postmeta") {
			switch m.get("wp:meta_key") {
			case "_wp_attachment_image_alt":
				a.alt = plain(m.get("wp:meta_value"))
			case "_wp_attached_file":
				a.file = m.get("wp:meta_value")
			}
		}
		im.atts[id] = a
		return nil
	case "post", "":
	case "page":
		if !im.opt.Pages {
			im.stats.Skipped++
			return nil
		}
	default: // nav_menu_item, revision, custom types
		im.stats.Skipped++
		return nil
	}
	if id == "" {
		im.warn("an item without wp:post_id was skipped")
		im.stats.Skipped++
		return nil
	}
	if existing, err := im.d.Imports.ImportMapping(ctx, im.source, "post", id); err == nil {
		im.stats.AlreadyImported++
		// Comments approved since the last run still come in (each once);
		// they are not counted, as the store cannot tell new from old.
		return im.comments(ctx, n, existing, false)
	} else if !news.IsNotFound(err) {
		return err
	}
	err := im.post(ctx, n, id, typ == "page")
	if err != nil {
		var ne *news.Error
		if errors.As(err, &ne) && ne.Kind != news.KindInternal {
			im.warn("post %s (%q) not imported: %v", id, clip(plain(n.get("title")), 60), err)
			im.stats.Failed++
			return nil
		}
		return fmt.Errorf("post %s: %w", id, err)
	}
	return nil
}

func (im *Importer) post(ctx context.Context, n *node, id string, page bool) error {
	var status news.Status
	switch n.get("wp:status") {
	case "publish":
		status = news.StatusPublished
	case "future":
		status = news.StatusScheduled
	case "draft", "auto-draft", "private":
		status = news.StatusDraft
	case "pending":
		status = news.StatusReview
	default: // trash, inherit
		im.stats.Skipped++
		return nil
	}
	a := news.Article{Status: status}
	a.Headline = clip(plain(n.get("title")), news.MaxHeadline)
	if a.Headline == "" {
		a.Headline = "Untitled"
	}
	a.Dek = clip(plain(n.raw("excerpt:encoded")), news.MaxDek)
	a.Body = ToMarkdown(n.raw("content:encoded"))
	if len(a.Body) > news.MaxBody {
		return news.Invalid("body", "the body is longer than %d bytes after conversion", news.MaxBody)
	}
	a.BodyText = im.d.Markup.Text(a.Body)
	slug, _ := url.PathUnescape(n.get("wp:post_name"))
	a.Slug = news.Slugify(slug)
	if slug == "" {
		a.Slug = news.Slugify(a.Headline)
	}
	date := wpTime(n.get("wp:post_date_gmt"), n.get("wp:post_date"), n.get("pubDate"))
	if status == news.StatusPublished || status == news.StatusScheduled {
		if date.IsZero() {
			date = time.Now().UTC()
		}
		a.PublishedAt = date
	}
	if !date.IsZero() {
		a.CreatedAt = date
	}
	// Section: the first category; tags: post_tag terms.
	var err error
	for _, c := range n.all("category") {
		name := plain(c.text.String())
		switch c.attrs["domain"] {
		case "category":
			if a.SectionID == 0 {
				nice := c.attrs["nicename"]
				if nice == "" {
					nice = news.Slugify(name)
				}
				if a.SectionID, err = im.section(ctx, nice, name, 0); err != nil {
					return err
				}
			}
		case "post_tag":
			if len(a.Tags) < news.MaxTags && name != "" {
				a.Tags = append(a.Tags, clip(name, news.MaxTagLen))
			}
		}
	}
	if page {
		if a.SectionID, err = im.pagesSection(ctx); err != nil {
			return err
		}
	} else if a.SectionID == 0 {
		if a.SectionID, err = im.section(ctx, "uncategorized", "Uncategorized", 0); err != nil {
			return err
		}
	}
	au, err := im.author(ctx, n.get("dc:creator"))
	if err != nil {
		return news.Invalid("author", "%v", err)
	}
	a.Authors = []news.Author{au}
	var thumb string
	for _, m := range n.all("wp:postmeta") {
		if m.get("wp:meta_key") == "_thumbnail_id" {
			thumb = m.get("wp:meta_value")
		}
	}
	if im.opt.DryRun {
		if a.SectionID < 0 {
			a.SectionID = 1
		}
		if err := a.Validate(); err != nil {
			return err
		}
		im.count(status, page)
		return im.comments(ctx, n, 0, true)
	}
	if err := im.d.Store.CreateArticle(ctx, &a); err != nil {
		return err
	}
	if err := im.d.Imports.SetImportMapping(ctx, im.source, "post", id, a.ID); err != nil {
		return err
	}
	im.count(status, page)
	if thumb != "" {
		im.pending = append(im.pending, pendingImage{articleID: a.ID, thumbID: thumb, headline: a.Headline})
	}
	if status == news.StatusPublished {
		im.redirects(ctx, n, id, a, page)
	}
	return im.comments(ctx, n, a.ID, true)
}

func (im *Importer) count(status news.Status, page bool) {
	if page {
		im.stats.Pages++
	} else {
		im.stats.Posts++
	}
	if status != news.StatusPublished {
		im.stats.Drafts++
	}
}

func (im *Importer) pagesSection(ctx context.Context) (int64, error) {
	if im.pagesSec != 0 {
		return im.pagesSec, nil
	}
	id, err := im.section(ctx, "pages", "Pages", 0)
	im.pagesSec = id
	return id, err
}

// redirects records the post's old URLs: its permalink path and its
// short link (/?p=ID, or /?page_id=ID for pages).
func (im *Importer) redirects(ctx context.Context, n *node, id string, a news.Article, page bool) {
	var from []string
	if u, err := url.Parse(n.get("link")); err == nil && u.Path != "" && u.Path != "/" {
		p := u.Path
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		from = append(from, p)
	}
	if page {
		from = append(from, "/?page_id="+id)
	} else {
		from = append(from, "/?p="+id)
	}
	for _, f := range from {
		if err := im.d.Imports.AddImportRedirect(ctx, f, a.ID); err != nil {
			im.warn("redirect %s: %v", f, err)
			continue
		}
		// Short links carry a query, which the path-keyed redirects table
		// never matches; the server answers them from import_redirects.
		if im.d.Redirect != nil && !strings.Contains(f, "?") {
			if err := im.d.Redirect.PutRedirect(ctx, f, a.URL()); err != nil {
				im.warn("redirect %s: %v", f, err)
				continue
			}
		}
		im.stats.Redirects++
	}
}

// comments imports the approved comments of a post (spam, pending and
// trashed ones, pingbacks and trackbacks are left out).
func (im *Importer) comments(ctx context.Context, n *node, articleID int64, count bool) error {
	type wc struct {
		id, parent, name, email, url, body string
		at                                 time.Time
	}
	var list []wc
	for _, c := range n.all("wp:comment") {
		if c.get("wp:comment_approved") != "1" {
			continue
		}
		if t := c.get("wp:comment_type"); t != "" && t != "comment" {
			continue
		}
		body := strings.TrimSpace(plain(strings.ReplaceAll(c.raw("wp:comment_content"), "\n", " \n")))
		if body == "" {
			continue
		}
		list = append(list, wc{id: c.get("wp:comment_id"), parent: c.get("wp:comment_parent"), name: plain(c.get("wp:comment_author")),
			email: c.get("wp:comment_author_email"), url: c.get("wp:comment_author_url"), body: body,
			at: wpTime(c.get("wp:comment_date_gmt"), c.get("wp:comment_date"), "")})
	}
	if im.opt.DryRun || len(list) == 0 {
		if im.opt.DryRun {
			im.stats.Comments += len(list)
		}
		return nil
	}
	sort.SliceStable(list, func(i, j int) bool { return numLess(list[i].id, list[j].id) })
	top := map[string]int64{} // wp id -> our top-level comment id
	for _, c := range list {
		if c.name == "" {
			c.name = "Anonymous"
		}
		if im.d.Comments != nil {
			cm := news.Comment{ArticleID: articleID, AuthorName: clip(c.name, 80), Body: clip(c.body, 10000), Status: news.CommentApproved,
				CreatedAt: c.at, ExternalID: "wp:" + c.id}
			if c.parent != "" && c.parent != "0" {
				cm.ParentID = top[c.parent]
			}
			if err := im.d.Comments.ImportComment(ctx, &cm); err != nil {
				im.warn("comment %s: %v", c.id, err)
				continue
			}
			if cm.ParentID != 0 {
				top[c.id] = cm.ParentID
			} else {
				top[c.id] = cm.ID
			}
			if count {
				im.stats.Comments++
			}
			continue
		}
		created, err := im.d.Imports.StageComment(ctx, news.StagedComment{Source: im.source, ExternalID: c.id, ArticleID: articleID, ParentExtID: c.parent,
			AuthorName: c.name, AuthorEmail: c.email, AuthorURL: c.url, Body: c.body, CreatedAt: c.at})
		if err != nil {
			return err
		}
		if created {
			im.stats.Comments++
		}
	}
	return nil
}

func numLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// finishImages sets featured images once every attachment was read
// (attachments may come after the posts that use them).
func (im *Importer) finishImages(ctx context.Context) error {
	for _, p := range im.pending {
		att, ok := im.atts[p.thumbID]
		if !ok || att.url == "" {
			im.warn("featured image %s of %q is not in the export", p.thumbID, p.headline)
			continue
		}
		alt := att.alt
		if alt == "" {
			alt = att.title
		}
		if alt == "" {
			alt = p.headline
		}
		img, err := im.image(ctx, att, alt)
		if err != nil {
			im.warn("featured image of %q: %v", p.headline, err)
			continue
		}
		if img == nil {
			continue
		}
		a, err := im.d.Store.ArticleByID(ctx, p.articleID)
		if err != nil {
			return err
		}
		a.Image = img
		if err := im.d.Store.UpdateArticle(ctx, &a); err != nil {
			im.warn("featured image of %q: %v", p.headline, err)
			continue
		}
		im.stats.Images++
	}
	return nil
}

// image imports a local file when --media-dir has it, else keeps the
// absolute URL.
func (im *Importer) image(ctx context.Context, att attachment, alt string) (*news.Image, error) {
	if im.opt.MediaDir != "" && im.d.Media != nil {
		if path := im.localFile(att); path != "" {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			m, err := im.d.Media.Upload(ctx, data, news.Media{Alt: clip(alt, news.MaxAlt)})
			if err != nil {
				return nil, err
			}
			img := m.Image()
			return &img, nil
		}
	}
	u, err := url.Parse(att.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("attachment URL %q is not absolute http(s)", att.url)
	}
	return &news.Image{URL: att.url, Alt: clip(alt, news.MaxAlt)}, nil
}

// localFile finds the attachment under --media-dir, by its
// _wp_attached_file ("2019/05/x.jpg") or the URL path after uploads/.
func (im *Importer) localFile(att attachment) string {
	var cands []string
	if att.file != "" {
		cands = append(cands, att.file)
	}
	if u, err := url.Parse(att.url); err == nil {
		p := u.Path
		if i := strings.Index(p, "/uploads/"); i >= 0 {
			cands = append(cands, p[i+len("/uploads/"):])
		}
		cands = append(cands, strings.TrimPrefix(p, "/"))
	}
	root, err := filepath.Abs(im.opt.MediaDir)
	if err != nil {
		return ""
	}
	for _, c := range cands {
		full := filepath.Join(root, filepath.FromSlash(c))
		if !strings.HasPrefix(full, root+string(filepath.Separator)) {
			continue // ../ in an attacker's export
		}
		if st, err := os.Stat(full); err == nil && st.Mode().IsRegular() {
			return full
		}
	}
	return ""
}
