package web_test

import (
	"testing"

	"byline/internal/testutil"
)

func TestCommentSmoke(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo(), testutil.WithArgs("--dev-login"))
	a := anyArticle(t, app)
	rd := newReader(t, app)
	res := rd.devLogin("민지", a.URL())
	if res.StatusCode != 200 || res.Request.URL.Path != a.URL() {
		t.Fatalf("after login: %d at %s", res.StatusCode, res.Request.URL)
	}
	c, e, st := rd.post(a.ID, "안녕하세요 👋🏽 https://example.com", nil)
	t.Logf("%d %+v %+v", st, c, e)
	_, doc := app.Get(t, a.URL())
	h, _ := doc.Find("#comments").Html()
	t.Log(h)
}
