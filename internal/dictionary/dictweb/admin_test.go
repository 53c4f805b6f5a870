package dictweb_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/auth"
	"byline/internal/dictionary/dictweb"
	"byline/internal/news"
	"byline/internal/testutil"
)

// staff is a signed-in newsroom browser session.
type staff struct {
	app    *testutil.App
	client *http.Client
	csrf   string
}

func signIn(t *testing.T, app *testutil.App, role news.Role) *staff {
	t.Helper()
	email := string(role) + "@example.com"
	if _, err := auth.CreateUser(bg, app.Store, email, "Test "+string(role), role, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	s := &staff{app: app, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	res, err := s.client.PostForm(app.URL+"/admin/login", url.Values{"email": {email}, "password": {"correct horse battery"}, "next": {"/admin"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", role, res.StatusCode)
	}
	return s
}

func (s *staff) get(t *testing.T, path string) (*http.Response, *goquery.Document) {
	t.Helper()
	res, err := s.client.Get(s.app.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := doc.Find(`input[name=csrf]`).Attr("value"); ok {
		s.csrf = v
	}
	return res, doc
}

func (s *staff) post(t *testing.T, path string, form url.Values) (*http.Response, *goquery.Document) {
	t.Helper()
	form.Set("csrf", s.csrf)
	res, err := s.client.PostForm(s.app.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	return res, doc
}

func (s *staff) upload(t *testing.T, path, name, body string) (*http.Response, *goquery.Document) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", s.csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(body))
	mw.Close()
	req, _ := http.NewRequest("POST", s.app.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	return res, doc
}

func TestGlossaryAdmin(t *testing.T) {
	app := testutil.NewApp(t)
	ed := signIn(t, app, news.RoleEditor)
	res, doc := ed.get(t, "/admin/dictionary")
	if res.StatusCode != 200 || doc.Find("h1").Text() != "Dictionary glossary" {
		t.Fatalf("GET /admin/dictionary: status %d, h1 %q", res.StatusCode, doc.Find("h1").Text())
	}
	if doc.Find(`nav a[href="/admin/dictionary"]`).Length() == 0 {
		t.Error("no Dictionary link in the admin menu")
	}

	// Add an entry whose text tries to inject markup.
	evil := `<script>alert("x")</script>Juche`
	res, _ = ed.post(t, "/admin/dictionary", url.Values{"term": {evil}, "definition": {`<img src=x onerror=alert(1)> self-reliance`}, "pos": {"noun"},
		"korean": {"주체"}, "links": {"https://example.com/juche"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d", res.StatusCode)
	}
	res, doc = ed.get(t, "/admin/dictionary")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("list: status %d", res.StatusCode)
	}
	if doc.Find("table.list script, table.list img").Length() != 0 {
		t.Error("glossary markup reached the admin page unescaped")
	}
	if !strings.Contains(doc.Find("table.list").Text(), evil) {
		t.Errorf("the entry is not listed as text: %q", doc.Find("table.list").Text())
	}
	// The API sends it as JSON text, escaped.
	req, _ := http.NewRequest("GET", "/api/dictionary?word="+url.QueryEscape("self-reliance"), nil)
	_, body := app.Do(t, req)
	if bytes.Contains(body, []byte("<script>")) || bytes.Contains(body, []byte("<img")) {
		t.Errorf("API body carries raw markup: %s", body)
	}

	// Conflicts and bad input re-show the form with the error.
	res, doc = ed.post(t, "/admin/dictionary", url.Values{"term": {evil}, "definition": {"again"}})
	if res.StatusCode != http.StatusConflict || doc.Find(".form-error").Length() == 0 {
		t.Errorf("duplicate: status %d, error %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	res, doc = ed.post(t, "/admin/dictionary", url.Values{"term": {"x"}, "definition": {""}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(doc.Find(".form-error").Text(), "definition") {
		t.Errorf("no definition: status %d, error %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	res, _ = ed.post(t, "/admin/dictionary", url.Values{"term": {"x"}, "definition": {"y"}, "links": {"javascript:alert(1)"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("javascript: link: status %d", res.StatusCode)
	}

	// Edit and delete.
	list, _ := app.Store.ListGlossary(bg)
	if len(list) != 1 {
		t.Fatalf("glossary has %d entries, want 1", len(list))
	}
	id := strconv.FormatInt(list[0].ID, 10)
	res, doc = ed.get(t, "/admin/dictionary/"+id)
	if res.StatusCode != 200 || doc.Find("#e-term").AttrOr("value", "") != evil {
		t.Fatalf("edit page: status %d, term %q", res.StatusCode, doc.Find("#e-term").AttrOr("value", ""))
	}
	res, _ = ed.post(t, "/admin/dictionary/"+id, url.Values{"term": {"Juche"}, "definition": {"North Korea's ideology of self-reliance."}, "korean": {"주체사상"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: status %d", res.StatusCode)
	}
	_, a := get(t, app, "Juche", "")
	if len(a.Glossary) != 1 || a.Glossary[0].Korean != "주체사상" {
		t.Errorf("after update the API says %+v", a.Glossary)
	}
	if res, _ := ed.get(t, "/admin/dictionary/999999"); res.StatusCode != 404 {
		t.Errorf("missing entry: status %d", res.StatusCode)
	}
	if res, _ := ed.get(t, "/admin/dictionary/abc"); res.StatusCode != 404 {
		t.Errorf("bad id: status %d", res.StatusCode)
	}
	res, _ = ed.post(t, "/admin/dictionary/"+id+"/delete", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: status %d", res.StatusCode)
	}
	if res, a := get(t, app, "Juche", ""); res.StatusCode != 404 || len(a.Glossary) != 0 {
		t.Errorf("after delete: status %d, glossary %+v", res.StatusCode, a.Glossary)
	}

	// Without the CSRF token nothing changes.
	ed.csrf = "forged"
	res, _ = ed.post(t, "/admin/dictionary", url.Values{"term": {"Forged"}, "definition": {"x"}})
	if res.StatusCode < 400 {
		t.Errorf("forged CSRF: status %d", res.StatusCode)
	}
}

func TestGlossaryAdminRoles(t *testing.T) {
	app := testutil.NewApp(t)
	// Signed out: to the sign-in page.
	res, _ := app.Do(t, mustReq(t, "GET", "/admin/dictionary"))
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		t.Errorf("signed out: status %d", res.StatusCode)
	}
	c := signIn(t, app, news.RoleContributor)
	if res, _ := c.get(t, "/admin/dictionary"); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor: status %d, want 403", res.StatusCode)
	}
}

func TestGlossaryCSVImport(t *testing.T) {
	app := testutil.NewApp(t)
	ed := signIn(t, app, news.RoleEditor)
	ed.get(t, "/admin/dictionary")

	good := "\ufeffterm,definition,pos,korean,note\n" +
		"Blue House,The former presidential office in Seoul.,proper noun,청와대,Used until 2022.\n" +
		"\"Yongsan\",\"The presidential office, since 2022.\",proper noun,용산,\n"
	res, _ := ed.upload(t, "/admin/dictionary/import", "glossary.csv", good)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "Imported+2") {
		t.Fatalf("import: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	list, _ := app.Store.ListGlossary(bg)
	if len(list) != 2 || list[1].Definition != "The presidential office, since 2022." || list[0].Korean != "청와대" {
		t.Errorf("after import: %+v", list)
	}

	for _, tc := range []struct{ name, body, want string }{
		{"broken line", "term,definition\nA,fine\n\"B,unterminated\nC,ok\n", "line 3"},
		{"missing definition", "term,definition,pos\nA,fine,noun\nB,,noun\n", "line 3: the definition is required"},
		{"no header", "Blue House,The office\n", "header row"},
		{"header only", "term,definition\n", "no entries"},
		{"duplicate", "term,definition\nA,one\na,two\n", "line 3"},
		{"not utf-8", "term,definition\nA,\xff\xfe\n", "UTF-8"},
		{"empty", "", "empty"},
		{"bad link", "term,definition,links\nA,b,javascript:alert(1)\n", "line 2"},
	} {
		res, doc := ed.upload(t, "/admin/dictionary/import", "g.csv", tc.body)
		msg := doc.Find(".form-error").Text()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: status %d, error %q, want 400 mentioning %q", tc.name, res.StatusCode, msg, tc.want)
		}
	}
	big := "term,definition\n" + strings.Repeat("word,"+strings.Repeat("x", 200)+"\n", dictweb.MaxCSVBytes/200)
	res, doc := ed.upload(t, "/admin/dictionary/import", "big.csv", big)
	if res.StatusCode < 400 || res.StatusCode >= 500 {
		t.Errorf("too big: status %d, %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	if list2, _ := app.Store.ListGlossary(bg); len(list2) != 2 {
		t.Errorf("refused imports changed the glossary: %d entries", len(list2))
	}
	// Export gives back what was imported.
	res2, err := ed.client.Get(app.URL + "/admin/dictionary/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Body.Close()
	entries, err := dictweb.ParseGlossaryCSV(res2.Body)
	if err != nil || len(entries) != 2 || entries[0].Korean != "청와대" {
		t.Errorf("export: %v, %+v", err, entries)
	}
}

func TestParseGlossaryCSVFormulaSafeExport(t *testing.T) {
	var buf bytes.Buffer
	if err := dictweb.WriteGlossaryCSV(&buf, []news.GlossaryEntry{{Display: "=cmd()", Definition: "@SUM(A1)"}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "\n=cmd") || strings.Contains(buf.String(), ",@SUM") {
		t.Errorf("export starts a cell with a formula: %q", buf.String())
	}
}

func mustReq(t *testing.T, method, path string) *http.Request {
	req, err := http.NewRequest(method, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
