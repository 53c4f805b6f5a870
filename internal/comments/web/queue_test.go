package web_test

// The moderation queue as a desk uses it: the clause a decision cites is
// never guessed (only a report's own clause is offered first), a decision
// without one is refused, the dashboard says what waits and for how long,
// and the keyboard works the queue. The browser part needs
// /usr/bin/chromium (skipped without it unless CI=true).

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
	"byline/internal/news"
	"byline/internal/testutil"
)

func TestQueueClauseChoice(t *testing.T) {
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd, other := newReader(t, app), newReader(t, app)
	rd.devLogin("Writer", a.URL())
	other.devLogin("Reporter", a.URL())
	held, _, _ := rd.post(a.ID, "Held for approval, reported by nobody", nil)
	hold(t, app, held.ID)
	reported, _, _ := rd.post(a.ID, "Published, then reported under clause 2", nil)
	if code := other.do("POST", "/api/v1/comments/"+itoa(reported.ID)+"/report", map[string]any{"clause": "2", "note": "name-calling"}, nil); code >= 300 {
		t.Fatalf("report: %d", code)
	}
	ed := signInStaff(t, app, "desk@example.com", news.RoleEditor)
	_, doc := ed.send("GET", "/admin/comments", nil)
	selected := func(id int64) string {
		sel := doc.Find("#clause-" + itoa(id) + " option[selected]")
		if sel.Length() != 1 {
			t.Fatalf("comment %d: %d options selected, want exactly one", id, sel.Length())
		}
		v, _ := sel.Attr("value")
		return v
	}
	if got := selected(held.ID); got != "" {
		t.Errorf("unreported held comment starts with clause %q selected, want none", got)
	}
	if got := selected(reported.ID); got != "2" {
		t.Errorf("comment reported under clause 2 starts with clause %q selected, want 2", got)
	}
	if doc.Find("#queue-keys").Length() != 1 {
		t.Error("the queue does not say which keys work it")
	}

	// The dashboard's panel counts what waits.
	_, dash := ed.send("GET", "/admin/", nil)
	panel := dash.Find(".dash-panel")
	if !strings.Contains(panel.Text(), "Comments waiting") || !strings.Contains(panel.Text(), "1 comment held for approval") ||
		!strings.Contains(panel.Text(), "1 reported comment") || !strings.Contains(panel.Text(), "Oldest waiting") {
		t.Errorf("dashboard panel = %q", strings.Join(strings.Fields(panel.Text()), " "))
	}
	contrib := signInStaff(t, app, "stringer@example.com", news.RoleContributor)
	if _, d := contrib.send("GET", "/admin/", nil); strings.Contains(d.Text(), "Comments waiting") {
		t.Error("a contributor (who may not moderate) sees the comments panel")
	}

	// Reject and hide without a clause are refused; nothing changes.
	for _, action := range []string{"reject", "delete"} {
		res, _ := ed.send("POST", "/admin/comments/"+itoa(held.ID)+"/moderate", url.Values{"action": {action}, "clause": {""}})
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s without a clause: %d, want 400", action, res.StatusCode)
		}
	}
	if got, _ := app.Store.CommentByID(context.Background(), held.ID); got.Status != news.CommentPending {
		t.Errorf("after refused decisions the comment is %q, want still pending", got.Status)
	}
	// Approving needs no clause.
	if res, _ := ed.send("POST", "/admin/comments/"+itoa(held.ID)+"/moderate", url.Values{"action": {"approve"}, "clause": {""}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("approve: %d, want 303", res.StatusCode)
	}
	if got, _ := app.Store.CommentByID(context.Background(), held.ID); got.Status != news.CommentApproved {
		t.Errorf("after approve the comment is %q", got.Status)
	}
}

// hold puts a comment back in the queue, as a spam rule or the hold mode
// would have.
func hold(t *testing.T, app *testutil.App, id int64) {
	t.Helper()
	if err := app.Store.SetCommentStatus(context.Background(), id, news.CommentPending, ""); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserQueueKeyboard(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	app := newApp(t, nil)
	a := anyArticle(t, app)
	rd, other := newReader(t, app), newReader(t, app)
	rd.devLogin("Writer", a.URL())
	other.devLogin("Reporter", a.URL())
	first, _, _ := rd.post(a.ID, "First in the queue, no report", nil)
	hold(t, app, first.ID)
	second, _, _ := rd.post(a.ID, "Second, reported under clause 2", nil)
	other.do("POST", "/api/v1/comments/"+itoa(second.ID)+"/report", map[string]any{"clause": "2"}, nil)
	signInStaff(t, app, "keys@example.com", news.RoleEditor) // creates the account

	bctx := browser.New(t)
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	get := func(what string, act chromedp.Action[string]) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(ctx, act)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	status := func(id int64) news.CommentStatus {
		c, err := app.Store.CommentByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return c.Status
	}
	browser.Navigate(t, bctx, app.URL+"/admin/login")
	do("sign in", chromedp.WaitVisible(css(`#email`)), chromedp.SendKeys(css(`#email`), "keys@example.com"),
		chromedp.SendKeys(css(`#password`), staffPassword), chromedp.Click(css(`form button[type=submit]`)), chromedp.WaitVisible(css(`.dash`)))
	browser.Navigate(t, bctx, app.URL+"/admin/comments")
	do("queue", chromedp.WaitVisible(css(`.moderation-queue`)))
	// The queue lists the newest first or oldest first; find the position
	// of the unreported comment and move there with j.
	order := get("order", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('.queue-item')).map(e => e.id).join(',')`))
	ids := strings.Split(order, ",")
	pos := -1
	for i, id := range ids {
		if id == "q-"+itoa(first.ID) {
			pos = i
		}
	}
	if pos < 0 {
		t.Fatalf("queue %q lacks comment %d", order, first.ID)
	}
	for i := 0; i <= pos; i++ {
		do("j", chromedp.KeyEvent("j"))
	}
	// r on a comment with no clause chosen does not send: it asks for one.
	do("r without clause", chromedp.KeyEvent("r"))
	if f := get("focus", chromedp.Evaluate[string](`document.activeElement.id`)); f != "clause-"+itoa(first.ID) {
		t.Errorf("after r with no clause the focus is on %q, want the clause list", f)
	}
	if s := status(first.ID); s != news.CommentPending {
		t.Errorf("r without a clause changed the comment to %q", s)
	}
	// a approves it (Escape first: the focus is in the clause list).
	do("escape", chromedp.KeyEvent("\u001b"))
	do("a", chromedp.KeyEvent("a"), chromedp.WaitVisible(css(`.moderation-queue`)))
	deadline := time.Now().Add(10 * time.Second)
	for status(first.ID) != news.CommentApproved && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if s := status(first.ID); s != news.CommentApproved {
		t.Fatalf("after a the comment is %q, want approved", s)
	}
	// On the reloaded queue the reported comment is the only one; its
	// report's clause is chosen, so j then r rejects it under clause 2.
	do("queue again", chromedp.WaitVisible(css(`#q-`+itoa(second.ID))))
	do("j r", chromedp.KeyEvent("j"), chromedp.KeyEvent("r"))
	deadline = time.Now().Add(10 * time.Second)
	for status(second.ID) != news.CommentRejected && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	c, _ := app.Store.CommentByID(context.Background(), second.ID)
	if c.Status != news.CommentRejected || c.Clause != "2" {
		t.Errorf("after j r: status %q clause %q, want rejected under clause 2", c.Status, c.Clause)
	}
}
