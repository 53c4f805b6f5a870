package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/auth"
	"byline/internal/news"
	"byline/internal/testutil"
	"byline/internal/webhooks"
	"byline/internal/wpimport"
)

const pw = "correct horse battery"

type staff struct {
	app  *testutil.App
	c    *http.Client
	csrf string
	user news.StaffUser
}

func signIn(t *testing.T, app *testutil.App, email string, role news.Role) *staff {
	t.Helper()
	u, err := auth.CreateUser(context.Background(), app.Store, email, "Staff "+string(role), role, pw)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	s := &staff{app: app, user: u, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	res, _ := s.send(t, "POST", "/admin/login", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"email": {email}, "password": {pw}}.Encode()))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	s.get(t, "/admin/")
	return s
}

func (s *staff) send(t *testing.T, method, path, ctype string, body io.Reader) (*http.Response, *goquery.Document) {
	t.Helper()
	req, _ := http.NewRequest(method, s.app.URL+path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Origin", s.app.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := s.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	if v, ok := doc.Find(`input[name=csrf]`).First().Attr("value"); ok && v != "" {
		s.csrf = v
	}
	return res, doc
}

func (s *staff) get(t *testing.T, path string) (*http.Response, *goquery.Document) {
	return s.send(t, "GET", path, "", nil)
}

func (s *staff) postForm(t *testing.T, path string, form url.Values) (*http.Response, *goquery.Document) {
	if form.Get("csrf") == "" {
		form.Set("csrf", s.csrf)
	}
	return s.send(t, "POST", path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func uploadBody(t *testing.T, csrf string, file []byte, alt string) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	mw.WriteField("alt", alt)
	mw.WriteField("caption", "Caption <script>alert(1)</script>")
	fw, _ := mw.CreateFormFile("file", "photo.jpg")
	fw.Write(file)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func jpegBytes(w, h int) []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil)
	return b.Bytes()
}

func TestAdminMediaPages(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ed := signIn(t, app, "ed@example.com", news.RoleContributor)
	_, demoPictures, err := app.Store.ListMedia(context.Background(), news.MediaQuery{})
	if err != nil || demoPictures == 0 {
		t.Fatalf("the demo paper's pictures are not in the library: %d (%v)", demoPictures, err)
	}
	res, doc := ed.get(t, "/admin/media")
	if got, want := strings.TrimSpace(doc.Find("#media-count").Text()), strconv.Itoa(demoPictures)+" images"; got != want {
		t.Errorf("count before the upload reads %q, want %q", got, want)
	}
	if res.StatusCode != 200 || doc.Find("form#media-upload input[name=file]").Length() != 1 || doc.Find(`nav a[href="/admin/media"]`).Length() != 1 {
		t.Fatalf("media page: %d", res.StatusCode)
	}
	ct, body := uploadBody(t, ed.csrf, jpegBytes(1200, 800), "A ferry in fog")
	res, _ = ed.send(t, "POST", "/admin/media", ct, body)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	res, doc = ed.get(t, res.Header.Get("Location"))
	up := doc.Find("#uploaded-url").Text()
	if res.StatusCode != 200 || !strings.HasPrefix(up, "/media/") || doc.Find("#media-grid li").First().Find("code").Text() != up {
		t.Fatalf("after upload: %d, url %q, first item %q", res.StatusCode, up, doc.Find("#media-grid li").First().Find("code").Text())
	}
	if got, want := strings.TrimSpace(doc.Find("#media-count").Text()), strconv.Itoa(demoPictures+1)+" images"; got != want {
		t.Errorf("count after the upload reads %q, want %q", got, want)
	}
	if _, doc := ed.get(t, "/admin/media?q=ferry"); strings.TrimSpace(doc.Find("#media-count").Text()) != "1 image" {
		t.Errorf("count with one item reads %q, want \"1 image\"", strings.TrimSpace(doc.Find("#media-count").Text()))
	}
	if html, _ := doc.Find("#media-grid").Html(); strings.Contains(html, "<script>") {
		t.Errorf("caption not escaped: %s", html)
	}
	img, err := http.Get(app.URL + up)
	if err != nil || img.StatusCode != 200 || !strings.Contains(img.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: %v %d", up, err, img.StatusCode)
	}
	img.Body.Close()

	// Editing the text of an item.
	id, _ := doc.Find("#media-grid li").First().Attr("data-id")
	res, _ = ed.postForm(t, "/admin/media/"+id, url.Values{"alt": {"A ferry in thick fog"}, "caption": {"Mokpo"}, "credit": {"Byline"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("edit text: %d", res.StatusCode)
	}
	res, doc = ed.postForm(t, "/admin/media/"+id, url.Values{"alt": {"  "}})
	if res.StatusCode != 400 || !strings.Contains(doc.Find(".form-error").Text(), "alt text is required") {
		t.Errorf("empty alt: %d", res.StatusCode)
	}
	if res, _ := ed.postForm(t, "/admin/media/99999", url.Values{"alt": {"x"}}); res.StatusCode != 404 {
		t.Errorf("unknown item: %d", res.StatusCode)
	}

	// The picker.
	req, _ := http.NewRequest("GET", app.URL+"/admin/media.json?q=ferry", nil)
	resJ, err := ed.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var picker struct {
		Items []struct {
			URL   string
			Image news.Image
		}
	}
	json.NewDecoder(resJ.Body).Decode(&picker)
	resJ.Body.Close()
	if len(picker.Items) != 1 || picker.Items[0].Image.SrcSet == "" || picker.Items[0].Image.Alt != "A ferry in thick fog" || picker.Items[0].Image.Caption != "Mokpo" {
		t.Errorf("picker: %+v", picker)
	}

	// Refusals through the form: a fake image, no CSRF token, too large.
	ct, body = uploadBody(t, ed.csrf, []byte("<html>not an image</html>"), "Fake")
	res, doc = ed.send(t, "POST", "/admin/media", ct, body)
	if res.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(doc.Find(".form-error").Text(), "not a JPEG, PNG, WebP or GIF") || doc.Find("#m-alt").AttrOr("value", "") != "Fake" {
		t.Errorf("fake image: %d %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	ct, body = uploadBody(t, "", jpegBytes(100, 100), "No token")
	res, _ = ed.send(t, "POST", "/admin/media", ct, body)
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF token: %d, want 403", res.StatusCode)
	}
	ct, body = uploadBody(t, ed.csrf, append(jpegBytes(100, 100), make([]byte, 21<<20)...), "Huge")
	res, doc = ed.send(t, "POST", "/admin/media", ct, body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(doc.Text(), "20 MB") {
		t.Errorf("oversized: %d", res.StatusCode)
	}
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ct, body = uploadBody(t, "", jpegBytes(100, 100), "Anon")
	resA, err := anon.Post(app.URL+"/admin/media", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	resA.Body.Close()
	if resA.StatusCode < 400 {
		t.Errorf("anonymous upload: %d", resA.StatusCode)
	}
	if _, total, _ := app.Store.ListMedia(context.Background(), news.MediaQuery{}); total != demoPictures+1 {
		t.Errorf("library holds %d items, want only the one good upload", total)
	}
}

func TestAdminAPIMediaUpload(t *testing.T) {
	app := testutil.NewApp(t)
	u, _ := auth.CreateUser(context.Background(), app.Store, "bot@example.com", "Bot", news.RoleContributor, pw)
	tok, _, err := auth.NewTokens(app.Store).Create(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	post := func(token string, file []byte, alt string) (int, map[string]any) {
		ct, body := uploadBody(t, "", file, alt)
		req, _ := http.NewRequest("POST", app.URL+"/api/v1/admin/media", body)
		req.Header.Set("Content-Type", ct)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, b := app.Do(t, req)
		var out map[string]any
		json.Unmarshal(b, &out)
		return res.StatusCode, out
	}
	code, out := post(tok, jpegBytes(2000, 1000), "Chart")
	if code != 201 || out["srcset"] == "" || len(out["renditions"].([]any)) != 3 {
		t.Fatalf("upload: %d %v", code, out)
	}
	m, _ := app.Store.MediaByID(context.Background(), int64(out["id"].(float64)))
	if m.UploadedBy != u.ID {
		t.Errorf("uploaded_by %d, want %d", m.UploadedBy, u.ID)
	}
	if code, out := post("", jpegBytes(10, 10), "x"); code != 401 || out["error"] == nil {
		t.Errorf("no token: %d %v", code, out)
	}
	if code, out := post("not-a-token", jpegBytes(10, 10), "x"); code != 401 || out["error"] == nil {
		t.Errorf("bad token: %d %v", code, out)
	}
	if code, out := post(tok, []byte("GIF89a\x01"), "x"); code != 400 {
		t.Errorf("broken gif: %d %v", code, out)
	}
	if code, out := post(tok, jpegBytes(10, 10), ""); code != 400 || !strings.Contains(out["error"].(map[string]any)["message"].(string), "alt text") {
		t.Errorf("no alt: %d %v", code, out)
	}
	req, _ := http.NewRequest("GET", app.URL+"/api/v1/admin/media", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, b := app.Do(t, req)
	if res.StatusCode != 200 || !bytes.Contains(b, []byte(`"total":1`)) {
		t.Errorf("list: %d %s", res.StatusCode, b)
	}
}

type hookReceiver struct {
	mu     sync.Mutex
	secret string
	events []webhooks.Payload
	bad    int
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if !webhooks.Verify(h.secret, r.Header.Get("X-Byline-Timestamp"), r.Header.Get("X-Byline-Signature"), body, time.Now(), 5*time.Minute) {
		h.bad++
		w.WriteHeader(401)
		return
	}
	var p webhooks.Payload
	json.Unmarshal(body, &p)
	h.events = append(h.events, p)
}

func (h *hookReceiver) wait(t *testing.T, n int) []webhooks.Payload {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		h.mu.Lock()
		got := append([]webhooks.Payload(nil), h.events...)
		h.mu.Unlock()
		if len(got) >= n {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("receiver got %d events (bad signatures %d), want %d", len(h.events), h.bad, n)
	return nil
}

func TestWebhooksEndToEnd(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo(), testutil.WithArgs("--webhooks-allow-private"))
	rc := &hookReceiver{secret: "receiver-secret-0123456789"}
	srv := httptest.NewServer(rc)
	defer srv.Close()

	contrib := signIn(t, app, "c@example.com", news.RoleContributor)
	if res, _ := contrib.get(t, "/admin/webhooks"); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor sees webhooks: %d", res.StatusCode)
	}
	admin := signIn(t, app, "a@example.com", news.RoleAdmin)
	res, doc := admin.postForm(t, "/admin/webhooks", url.Values{"url": {"file:///etc/passwd"}, "secret": {rc.secret}})
	if res.StatusCode != 400 || !strings.Contains(doc.Find(".form-error").Text(), "only http:// and https://") {
		t.Errorf("file URL: %d %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	res, doc = admin.postForm(t, "/admin/webhooks", url.Values{"url": {srv.URL + "/in"}, "secret": {rc.secret}})
	if res.StatusCode != 200 || doc.Find("#new-secret").Text() != rc.secret || doc.Find("#endpoints tbody tr").Length() != 1 {
		t.Fatalf("add endpoint: %d", res.StatusCode)
	}
	if strings.Contains(doc.Find("#endpoints").Text(), rc.secret) {
		t.Error("the endpoint list shows the whole secret")
	}

	// Publish through the editorial service, as the editor and API do.
	ctx := context.Background()
	secs, _ := app.Store.ListSections(ctx)
	authors, _ := app.Store.ListAuthors(ctx)
	a := news.Article{Headline: "Webhook story", Body: "Text.", SectionID: secs[0].ID, Authors: authors[:1]}
	ed := app.Server.Editorial()
	if err := ed.Create(ctx, admin.user, &a); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Publish(ctx, admin.user, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Unpublish(ctx, admin.user, a.ID); err != nil {
		t.Fatal(err)
	}
	// Deliveries are retried independently, so they may arrive in either
	// order; each names its event and the time it happened.
	got := rc.wait(t, 2)
	byEvent := map[string]int{}
	for _, ev := range got {
		byEvent[ev.Event]++
		if ev.Article.ID != a.ID || !strings.HasPrefix(ev.Article.URL, app.URL+"/article/") {
			t.Errorf("event %+v names the wrong article", ev)
		}
	}
	if byEvent["publish"] != 1 || byEvent["unpublish"] != 1 {
		t.Errorf("events %+v, want one publish and one unpublish", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, doc = admin.get(t, "/admin/webhooks")
		if doc.Find("#deliveries tr.delivery-delivered").Length() == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := doc.Find("#deliveries tr.delivery-delivered").Length(); n != 2 {
		t.Errorf("delivery log shows %d delivered, want 2", n)
	}
	id, _ := doc.Find(`#endpoints form`).Attr("action")
	if res, _ := admin.postForm(t, id, url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("remove: %d", res.StatusCode)
	}
	if hooks, _ := app.Store.ListWebhooks(ctx); len(hooks) != 0 {
		t.Errorf("%d endpoints after removal", len(hooks))
	}
}

func TestWordPressLinksRedirect(t *testing.T) {
	app := testutil.NewApp(t)
	f, err := os.Open("../wpimport/testdata/export.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st := app.Store
	if _, err := wpimport.Import(context.Background(), f, wpimport.Deps{Store: st, Imports: st, Redirect: st, Comments: st}, wpimport.Options{Pages: true}); err != nil {
		t.Fatal(err)
	}
	app.Notify(news.Change{Kind: news.ChangeSections})
	tests := []struct{ from, to string }{
		{"/2019/05/03/council-harbour-wall/", "/council-harbour-wall"},
		{"/?p=101", "/council-harbour-wall"},
		{"/?page_id=2", "/about"},
		{"/about/", "/about"},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest("GET", app.URL+tc.from, nil)
		res, _ := app.Do(t, req)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(loc, "/article/") || !strings.HasSuffix(loc, tc.to) {
			t.Errorf("GET %s: %d to %q, want 301 to an article ending %s", tc.from, res.StatusCode, loc, tc.to)
		}
	}
	for _, path := range []string{"/?p=103", "/?p=999", "/?p=1%20OR%201=1", "/?p="} { // a draft, unknown, junk
		req, _ := http.NewRequest("GET", app.URL+path, nil)
		res, _ := app.Do(t, req)
		if res.StatusCode != 200 {
			t.Errorf("GET %s: %d, want the home page", path, res.StatusCode)
		}
	}
}
