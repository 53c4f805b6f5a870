package media

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

// notes records the changes a library announces.
type notes struct {
	mu  sync.Mutex
	got []news.Change
}

func (n *notes) Notify(_ context.Context, c news.Change) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.got = append(n.got, c)
}

// TestDeleteAndReplace runs on the directory and on a real S3 server: a
// used image cannot be deleted; a replacement switches the articles,
// leaves redirects, purges their pages and removes the old files after the
// commit; a delete removes the record and then every file.
func TestDeleteAndReplace(t *testing.T) {
	eachStorage(t, func(t *testing.T, s Storage) {
		ctx := context.Background()
		st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		n := &notes{}
		lib := New(st, s)
		lib.Notify = n
		m, err := lib.Upload(ctx, encodeJPEG(t, 2000, 1000), news.Media{Alt: "A wide test picture", Caption: "Kept caption"})
		if err != nil {
			t.Fatal(err)
		}
		sec := news.Section{Slug: "news", Name: "News"}
		if err := st.CreateSection(ctx, &sec); err != nil {
			t.Fatal(err)
		}
		a := news.Article{SectionID: sec.ID, Headline: "Harbour story", Body: "Text.", Status: news.StatusDraft, Image: &news.Image{URL: m.URL(), Alt: "Typed"}}
		if err := st.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		before := stored(t, s)

		_, err = lib.Delete(ctx, m.ID)
		var in *news.MediaInUse
		if !errors.As(err, &in) || len(in.Uses) != 1 || in.Uses[0].ArticleID != a.ID {
			t.Fatalf("delete of a used image: %v, want a refusal naming article %d", err, a.ID)
		}
		if !strings.Contains(news.PublicMessage(err), "Harbour story") {
			t.Errorf("refusal %q does not name the article", news.PublicMessage(err))
		}
		if after := stored(t, s); !slices.Equal(after, before) {
			t.Errorf("a refused delete changed the storage: %q, want %q", after, before)
		}

		// A replacement that is not an image changes nothing.
		if _, err := lib.Replace(ctx, m.ID, []byte("not an image at all")); !errors.Is(err, ErrUnsupportedType) {
			t.Errorf("replace with text: %v, want unsupported type", err)
		}
		if after := stored(t, s); !slices.Equal(after, before) {
			t.Errorf("a refused replace changed the storage: %q", after)
		}

		got, err := lib.Replace(ctx, m.ID, encodePNG(t, 1000, 500, true))
		if err != nil {
			t.Fatalf("Replace: %v", err)
		}
		if got.ID != m.ID || got.MIME != "image/png" || got.Width != 1000 || got.Caption != "Kept caption" || got.Path == m.Path {
			t.Errorf("after replace %+v", got)
		}
		for _, p := range m.Files() {
			if _, err := s.Open(ctx, p); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("old file %s still stored (%v)", p, err)
			}
			if target, err := st.MediaRedirect(ctx, p); err != nil || !slices.Contains(got.Files(), target) {
				t.Errorf("redirect of %s = %q, %v; want one of the new files", p, target, err)
			}
		}
		for _, p := range got.Files() {
			if b, _ := readAll(t, s, p); Sniff(b) != "png" {
				t.Errorf("new file %s is not the new PNG", p)
			}
		}
		again, err := st.ArticleByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Image == nil || again.Image.URL != got.URL() || again.Image.Alt != "Typed" || again.Image.SrcSet != got.SrcSet() {
			t.Errorf("article image after replace = %+v, want %s", again.Image, got.URL())
		}
		if len(n.got) != 1 || n.got[0] != (news.Change{Kind: news.ChangeContent, ArticleID: a.ID}) {
			t.Errorf("changes announced %+v, want the article's content", n.got)
		}

		// The database refuses the replacement: the new files go again.
		before = stored(t, s)
		lib.Store = failingReplace{st}
		if _, err := lib.Replace(ctx, m.ID, encodeJPEG(t, 900, 600)); err == nil {
			t.Fatal("Replace with a failing database succeeded")
		}
		if after := stored(t, s); !slices.Equal(after, before) {
			t.Errorf("after the failed replace the storage holds %q, want %q", after, before)
		}
		lib.Store = st

		again.Image = nil
		if err := st.UpdateArticle(ctx, &again); err != nil {
			t.Fatal(err)
		}
		if _, err := lib.Delete(ctx, m.ID); err != nil {
			t.Fatalf("delete of an unused image: %v", err)
		}
		for _, p := range got.Files() {
			if _, err := s.Open(ctx, p); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("deleted item's file %s still stored (%v)", p, err)
			}
		}
		if _, err := st.MediaByID(ctx, m.ID); news.KindOf(err) != news.KindNotFound {
			t.Errorf("record after delete: %v", err)
		}
	})
}

type failingReplace struct{ news.MediaStore }

func (failingReplace) ReplaceMedia(context.Context, int64, news.MediaFiles) (news.Media, []int64, error) {
	return news.Media{}, nil, errors.New("database went away")
}

func TestManageHandlers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path, filename string, data []byte) *http.Response {
		t.Helper()
		ct, body := multipartBody(t, filename, data, nil)
		res, err := client.Post(f.srv.URL+path, ct, body)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	m, err := f.lib.Upload(ctx, encodeJPEG(t, 800, 600), news.Media{Alt: "Used picture"})
	if err != nil {
		t.Fatal(err)
	}
	free, err := f.lib.Upload(ctx, encodeJPEG(t, 300, 200), news.Media{Alt: "Free picture"})
	if err != nil {
		t.Fatal(err)
	}
	sec := news.Section{Slug: "news", Name: "News"}
	if err := f.store.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	a := news.Article{SectionID: sec.ID, Headline: "The story that shows it", Body: "![x](" + m.URL() + ")", Status: news.StatusDraft}
	if err := f.store.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}

	if res := post("/admin/media/"+itoa(m.ID)+"/delete", "", nil); res.StatusCode != http.StatusConflict {
		t.Errorf("delete of a used image: status %d, want 409", res.StatusCode)
	}
	last := f.rendered[len(f.rendered)-1]
	if len(last.Uses) != 1 || last.Uses[0].Headline != a.Headline || !strings.Contains(last.Error, a.Headline) {
		t.Errorf("refusal page: error %q uses %+v, want the article listed", last.Error, last.Uses)
	}
	if _, err := f.store.MediaByID(ctx, m.ID); err != nil {
		t.Errorf("refused delete lost the record: %v", err)
	}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/admin/media/0/delete", http.StatusNotFound},
		{"/admin/media/x/delete", http.StatusNotFound},
		{"/admin/media/999999/delete", http.StatusNotFound},
	} {
		if res := post(tc.path, "", nil); res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, res.StatusCode, tc.status)
		}
	}
	if res := post("/admin/media/"+itoa(free.ID)+"/delete", "", nil); res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "done=") {
		t.Errorf("delete of a free image: status %d location %q, want 303 with a message", res.StatusCode, res.Header.Get("Location"))
	}

	// Replace refusals: nothing changes.
	for _, tc := range []struct {
		name   string
		path   string
		data   []byte
		status int
	}{
		{"text file", "/admin/media/" + itoa(m.ID) + "/replace", []byte("hello"), http.StatusUnsupportedMediaType},
		{"no file", "/admin/media/" + itoa(m.ID) + "/replace", nil, http.StatusBadRequest},
		{"unknown item", "/admin/media/999999/replace", encodeJPEG(t, 100, 100), http.StatusNotFound},
	} {
		if res := post(tc.path, "x.jpg", tc.data); res.StatusCode != tc.status {
			t.Errorf("replace, %s: status %d, want %d", tc.name, res.StatusCode, tc.status)
		}
		if again, _ := f.store.MediaByID(ctx, m.ID); again.Path != m.Path {
			t.Errorf("replace, %s: the item changed to %s", tc.name, again.Path)
		}
	}
	if res := post("/admin/media/"+itoa(m.ID)+"/replace", "new.jpg", encodeJPEG(t, 640, 480)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("replace: status %d, want 303", res.StatusCode)
	}
	again, _ := f.store.MediaByID(ctx, m.ID)
	if again.Path == m.Path || again.Width != 640 {
		t.Errorf("after replace: %+v", again)
	}
	b, _ := f.store.ArticleByID(ctx, a.ID)
	if b.Body != "![x]("+again.URL()+")" {
		t.Errorf("article body after replace = %q", b.Body)
	}

	// The API: only editors may remove; a used image is a 409 listing the articles.
	req, _ := http.NewRequest(http.MethodDelete, f.srv.URL+"/api/v1/admin/media/"+itoa(m.ID), nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var conflict struct {
		Error  struct{ Code, Message string }
		UsedBy []struct {
			ID       int64
			Headline string
		} `json:"used_by"`
	}
	json.NewDecoder(res.Body).Decode(&conflict)
	res.Body.Close()
	if res.StatusCode != http.StatusConflict || len(conflict.UsedBy) != 1 || conflict.UsedBy[0].ID != a.ID {
		t.Errorf("API delete of a used image: status %d body %+v, want 409 listing article %d", res.StatusCode, conflict, a.ID)
	}
	f.mayRemove = false
	req, _ = http.NewRequest(http.MethodDelete, f.srv.URL+"/api/v1/admin/media/"+itoa(m.ID), nil)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("API delete by a contributor: status %d, want 403", res.StatusCode)
	}
}

func TestLibrarySearchFilters(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i, alt := range []string{"One", "Two"} {
		if _, err := f.lib.Upload(ctx, encodeJPEG(t, 100, 100), news.Media{Alt: alt, Credit: "Credit " + alt, UploadedBy: int64(7 * i)}); err != nil {
			t.Fatal(err)
		}
	}
	get := func(q string) (int, []byte) {
		t.Helper()
		res, err := http.Get(f.srv.URL + "/admin/media.json?" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		var list struct{ Total int }
		json.NewDecoder(res.Body).Decode(&list)
		b.WriteString(itoa(int64(list.Total)))
		return res.StatusCode, []byte(b.String())
	}
	for _, tc := range []struct {
		q      string
		status int
		total  string
	}{
		{"credit=two", 200, "1"},
		{"uploader=7", 200, "1"},
		{"uploader=7&credit=one", 200, "0"},
		{"uploader=none", 200, "1"},
		{"from=2000-01-01&until=2999-12-31", 200, "2"},
		{"until=2000-01-01", 200, "0"},
		{"uploader=someone", 400, "0"},
		{"from=yesterday", 400, "0"},
		{"from=2026-05-02&until=2026-05-01", 400, "0"},
	} {
		status, total := get(tc.q)
		if status != tc.status || string(total) != tc.total {
			t.Errorf("?%s: status %d total %s, want %d and %s", tc.q, status, total, tc.status, tc.total)
		}
	}
	res, err := http.Get(f.srv.URL + "/admin/media?from=bad&credit=kept")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if last := f.rendered[len(f.rendered)-1]; res.StatusCode != 400 || !strings.Contains(last.Error, "YYYY-MM-DD") || last.Filter.From != "" || last.Filter.Credit != "kept" {
		t.Errorf("page with a bad date: status %d, error %q, filter %+v", res.StatusCode, last.Error, last.Filter)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
