package web_test

// Notices by e-mail and ban appeals as readers meet them, against a real
// mail server (mailpit; scripts/test-mail.sh builds it and
// BYLINE_TEST_MAILPIT names it): a typed address is used only after its
// confirmation link; a removal, a ban and an appeal's outcome arrive
// with their statement of reasons in the reader's language; the
// unsubscribe link stops them; a banned reader appeals the ban, the
// banning moderator may not review it, another lifts it.

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/mail/mailpit"
	"byline/internal/news"
)

var (
	confirmLink = regexp.MustCompile(`https?://[^\s]+/account/email/confirm\?t=[A-Za-z0-9_\-.]+`)
	unsubLink   = regexp.MustCompile(`https?://[^\s]+/account/email/unsubscribe\?t=[A-Za-z0-9_\-.]+`)
)

// oneLine is a message's text with line breaks as spaces (quoted-
// printable soft breaks are already gone).
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestNoticesByEmailEndToEnd(t *testing.T) {
	mp := mailpit.Start(t)
	app := newApp(t, nil, "--smtp-addr", mp.SMTP, "--smtp-from", "The Byline Daily <news@byline.example>")
	ctx := context.Background()
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("Noticed Reader", a.URL())
	first := signInStaff(t, app, "first@example.com", news.RoleEditor)
	second := signInStaff(t, app, "second@example.com", news.RoleEditor)
	me := func() news.Reader {
		rs, err := app.Store.ListReaders(ctx, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Name == "Noticed Reader" {
				return r
			}
		}
		t.Fatal("reader not found")
		return news.Reader{}
	}

	// The account page offers the address form.
	if !strings.Contains(string(rd.get("/account")), `action="/account/email"`) {
		t.Fatal("the account page has no e-mail form while mail is on")
	}
	// Refusals: nothing stored, nothing sent.
	for _, bad := range []string{"", "not-an-address", "a@example.com\r\nBcc: victim@example.com", "a@example.com, b@example.com", "Eve <eve@example.com>"} {
		res := rd.postForm("/account/email", url.Values{"action": {"set"}, "email": {bad}})
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("address %q: %d, want 400", bad, res.StatusCode)
		}
	}
	if res := rd.postForm("/account/email", url.Values{"action": {"nonsense"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown action: %d, want 400", res.StatusCode)
	}
	anon := newReader(t, app)
	if res := anon.postForm("/account/email", url.Values{"action": {"set"}, "email": {"a@example.com"}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed out: %d, want 401", res.StatusCode)
	}
	// A typed address: a confirmation link first, no notices before it.
	res := rd.postForm("/account/email", url.Values{"action": {"set"}, "email": {"reader@example.com"}})
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Request.URL.String(), "email=sent") {
		t.Fatalf("set address: %d at %s", res.StatusCode, res.Request.URL)
	}
	if r := me(); r.NoticeEmail != "" {
		t.Fatalf("the address is used before it is confirmed: %q", r.NoticeEmail)
	}
	conf := mp.WaitFor(t, "reader@example.com", 30*time.Second)
	link := confirmLink.FindString(conf.Text)
	if link == "" || !strings.Contains(conf.Subject, "confirm") {
		t.Fatalf("confirmation message %q has no link: %s", conf.Subject, conf.Text)
	}
	u, _ := url.Parse(link)
	tok := u.Query().Get("t")
	for _, bad := range []string{tok[:len(tok)-2] + "xx", "", "abc.def", strings.Replace(tok, ".", "", 1)} {
		if code := rd.do("GET", "/account/email/confirm?t="+url.QueryEscape(bad), nil, nil); code != http.StatusBadRequest {
			t.Errorf("tampered confirmation %q: %d, want 400", bad, code)
		}
	}
	if r := me(); r.NoticeEmail != "" {
		t.Fatalf("a tampered link set the address: %q", r.NoticeEmail)
	}
	if code := rd.do("GET", u.RequestURI(), nil, nil); code != 200 {
		t.Fatalf("confirm: %d", code)
	}
	if r := me(); r.NoticeEmail != "reader@example.com" {
		t.Fatalf("after confirming: %q", r.NoticeEmail)
	}

	// A removal: the notice comes with the statement of reasons.
	c, _, code := rd.post(a.ID, "The minister's answer dodged the question", nil)
	if code != 201 {
		t.Fatalf("post: %d", code)
	}
	decided := time.Now()
	if res, _ := first.send("POST", "/admin/comments/"+itoa(c.ID)+"/moderate", url.Values{"action": {"remove"}, "clause": {"2"},
		"note": {"The comment calls another reader names."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	n := waitSubject(t, mp, "reader@example.com", "removed", 60*time.Second)
	t.Logf("the removal notice arrived %s after the decision", time.Since(decided).Round(time.Millisecond))
	if took := time.Since(decided); took > 60*time.Second {
		t.Errorf("the notice took %v, want under 60 s", took)
	}
	ds, _ := app.Store.CommentDecisions(ctx, []int64{c.ID})
	d := ds[c.ID]
	text := oneLine(n.Text)
	for _, want := range []string{"Noticed Reader", "A moderator removed your comment", a.Headline, "The minister's answer dodged the question",
		"Decision: " + d.DecisionID, "Clause: 2", "Facts: The comment calls another reader names.", "by a moderator",
		app.URL + "/account#comment-" + itoa(c.ID), "appeal this decision, free of charge, until " + d.CreatedAt.Add(news.AppealWindow).UTC().Format("2006-01-02"),
		"/comments/policy?version="} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice lacks %q:\n%s", want, n.Text)
		}
	}
	if !strings.Contains(n.Raw, "List-Unsubscribe: <"+app.URL+"/account/email/unsubscribe?t=") || !strings.Contains(n.Raw, "List-Unsubscribe-Post: List-Unsubscribe=One-Click") {
		t.Errorf("the notice has no unsubscribe headers:\n%s", n.Raw)
	}
	if n.From.Address != "news@byline.example" || n.From.Name != "The Byline Daily" || n.MessageID != "notice-"+d.DecisionID+"@byline.example" {
		t.Errorf("notice headers: from %+v, id %q", n.From, n.MessageID)
	}

	// Korean: a ban, in the reader's language; the reader appeals it.
	rd.c.Jar.SetCookies(mustURL(app.URL), []*http.Cookie{{Name: "byline_lang", Value: "ko", Path: "/"}})
	rd.devLogin("Noticed Reader", "/account") // sign-in records the language
	if r := me(); r.Lang != "ko" {
		t.Fatalf("reader language %q after a Korean sign-in, want ko", r.Lang)
	}
	rid := me().ID
	if res, _ := first.send("POST", "/admin/comments/readers/"+itoa(rid)+"/ban", url.Values{"kind": {"ban"}, "days": {"7"}, "clause": {"2"},
		"note": {"Three removals for insults in a week."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ban: %d", res.StatusCode)
	}
	ban := waitSubject(t, mp, "reader@example.com", "댓글 작성이 제한되었습니다", 60*time.Second)
	banText := oneLine(ban.Text)
	banDecision, err := app.Store.ReaderBanDecision(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Noticed Reader 님", "댓글 작성을 제한했습니다", "결정 번호: " + banDecision.DecisionID, "기사윤리위원회 규정 제2조",
		"Three removals for insults in a week.", app.URL + "/account#ban", "무료로 이의를 신청할 수 있으며"} {
		if !strings.Contains(banText, want) {
			t.Errorf("the Korean ban notice lacks %q:\n%s", want, ban.Text)
		}
	}
	// The account page gives the ban's reasons and an appeal form.
	acct := string(rd.get("/account"))
	if !strings.Contains(acct, `id="ban"`) || !strings.Contains(acct, banDecision.DecisionID) || !strings.Contains(acct, `name="ban" value="1"`) {
		t.Fatalf("the account page lacks the ban's reasons or appeal form")
	}
	if res := rd.postForm("/account/appeal", url.Values{"ban": {"1"}, "reason": {""}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("ban appeal without a reason: %d, want 400", res.StatusCode)
	}
	if res := rd.postForm("/account/appeal", url.Values{"reason": {"no comment named"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("appeal naming nothing: %d, want 400", res.StatusCode)
	}
	res = rd.postForm("/account/appeal", url.Values{"ban": {"1"}, "reason": {"Two of the three removals were reversed on appeal."}})
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Request.URL.String(), "appealed=ban") {
		t.Fatalf("ban appeal: %d at %s", res.StatusCode, res.Request.URL)
	}
	if res := rd.postForm("/account/appeal", url.Values{"ban": {"1"}, "reason": {"again"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("second ban appeal: %d, want 409", res.StatusCode)
	}
	open, _ := app.Store.Appeals(ctx, news.AppealOpen, 10, 0)
	if len(open) != 1 || open[0].DecisionID != banDecision.DecisionID || open[0].CommentID != 0 {
		t.Fatalf("open appeals = %+v, want the ban's", open)
	}
	ap := open[0]
	if res, _ := first.send("POST", "/admin/comments/appeals/"+itoa(ap.ID)+"/decide", url.Values{"outcome": {"reversed"}, "reply": {"Fine."}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("review of the ban by the moderator who banned: %d, want 403", res.StatusCode)
	}
	if _, doc := second.send("GET", "/admin/comments/appeals", nil); !strings.Contains(doc.Find("#appeal-"+itoa(ap.ID)+" form").Text(), "lift the ban") {
		t.Error("the reviewer is not offered to lift the ban")
	}
	if r := me(); !r.Banned(time.Now()) {
		t.Fatal("the refused review lifted the ban")
	}
	if res, _ := second.send("POST", "/admin/comments/appeals/"+itoa(ap.ID)+"/decide", url.Values{"outcome": {"reversed"},
		"reply": {"Two of the removals were reversed; one insult does not make a ban."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reversal: %d", res.StatusCode)
	}
	if r := me(); r.Banned(time.Now()) || r.BanClause != "" {
		t.Errorf("after the reversal the reader is still banned: %+v", r)
	}
	if orig, err := app.Store.DecisionByID(ctx, banDecision.DecisionID); err != nil || orig.Action != "ban" {
		t.Errorf("the original ban is not in the record after the reversal: %+v %v", orig, err)
	}
	if _, _, code := rd.post(a.ID, "Back, and calmer", nil); code != 201 {
		t.Errorf("posting after the ban was lifted: %d, want 201", code)
	}
	rev := waitSubject(t, mp, "reader@example.com", "결정 취소", 60*time.Second)
	if txt := oneLine(rev.Text); !strings.Contains(txt, "one insult does not make a ban") || !strings.Contains(txt, banDecision.DecisionID) {
		t.Errorf("the reversal notice lacks the reply or the decision:\n%s", rev.Text)
	}

	// Unsubscribe: GET asks (and changes nothing), POST stops notices.
	ul := unsubLink.FindString(rev.Text)
	if ul == "" {
		t.Fatalf("no unsubscribe link in:\n%s", rev.Text)
	}
	uu, _ := url.Parse(ul)
	if code := anon.do("GET", uu.RequestURI(), nil, nil); code != 200 {
		t.Fatalf("unsubscribe page: %d", code)
	}
	if r := me(); r.NoticeEmail == "" {
		t.Fatal("opening the unsubscribe link (GET) stopped the notices")
	}
	if code := anon.do("POST", "/account/email/unsubscribe?t=bad.token", nil, nil); code != http.StatusBadRequest {
		t.Errorf("unsubscribe with a bad token: %d, want 400", code)
	}
	// A mail client's one-click POST (RFC 8058): no cookie, no page.
	req, _ := http.NewRequest("POST", app.URL+uu.RequestURI(), strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("one-click unsubscribe: %v %v", res, err)
	}
	if r := me(); r.NoticeEmail != "" || !r.NoticeOff {
		t.Errorf("after unsubscribing: %q off=%v", r.NoticeEmail, r.NoticeOff)
	}
	before := mp.Count(t)
	c2, _, _ := rd.post(a.ID, "Another thought on the hearing", nil)
	if res, _ := first.send("POST", "/admin/comments/"+itoa(c2.ID)+"/moderate", url.Values{"action": {"reject"}, "clause": {"2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d", res.StatusCode)
	}
	if list, _ := app.Store.ListMail(ctx, rid, 50); len(list) != before {
		t.Errorf("%d messages queued after unsubscribing, want %d (none new)", len(list), before)
	}
}

// TestNoticeSurvivesMailOutage: the mail server is down when the
// decision is made; the decision does not wait, and the notice arrives
// once the server is back.
func TestNoticeSurvivesMailOutage(t *testing.T) {
	mp := mailpit.Addresses(t) // down
	app := newApp(t, nil, "--smtp-addr", mp.SMTP, "--smtp-from", "news@byline.example")
	ctx := context.Background()
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("Outage Reader", a.URL())
	mod := signInStaff(t, app, "desk@example.com", news.RoleEditor)
	rs, _ := app.Store.ListReaders(ctx, 10, 0)
	var rid int64
	for _, r := range rs {
		if r.Name == "Outage Reader" {
			rid = r.ID
		}
	}
	if err := app.Store.SetNoticeEmail(ctx, rid, "outage@example.com", false); err != nil {
		t.Fatal(err)
	}
	c, _, code := rd.post(a.ID, "Posted while the mail server is down", nil)
	if code != 201 {
		t.Fatalf("post: %d", code)
	}
	start := time.Now()
	if res, _ := mod.send("POST", "/admin/comments/"+itoa(c.ID)+"/moderate", url.Values{"action": {"remove"}, "clause": {"2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove during the outage: %d", res.StatusCode)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the decision took %v during the outage: it waited on the mail server", took)
	}
	// The worker tried and failed; the notice is kept.
	deadline := time.Now().Add(20 * time.Second)
	for {
		list, _ := app.Store.ListMail(ctx, rid, 10)
		if len(list) == 1 && list[0].Attempts >= 1 && list[0].Status == news.MailPending && list[0].LastError != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox during the outage: %+v", list)
		}
		time.Sleep(50 * time.Millisecond) // polling the outbox, with a deadline
	}
	// Admins see it waiting on their dashboard, with the error.
	admin := signInStaff(t, app, "admin@example.com", news.RoleAdmin)
	mailPanel := func() string {
		t.Helper()
		_, dash := admin.send("GET", "/admin/", nil)
		txt := ""
		dash.Find(".dash-panel").Each(func(_ int, p *goquery.Selection) {
			if s := strings.Join(strings.Fields(p.Text()), " "); strings.Contains(s, "E-mail notices") {
				txt = s
			}
		})
		return txt
	}
	if p := mailPanel(); !strings.Contains(p, "1 notice waiting for the mail server") || !strings.Contains(p, "Last error:") {
		t.Errorf("admin's mail panel during the outage = %q", p)
	}
	mp.Restart(t)
	n := waitSubject(t, mp, "outage@example.com", "removed", 60*time.Second)
	t.Logf("the notice arrived %s after the decision (mail server down at first)", time.Since(start).Round(time.Second))
	if !strings.Contains(oneLine(n.Text), "Posted while the mail server is down") {
		t.Errorf("notice text: %s", n.Text)
	}
	if got := mp.Count(t); got != 1 {
		t.Errorf("%d messages delivered, want 1", got)
	}
	deadline = time.Now().Add(10 * time.Second)
	for p := mailPanel(); !strings.Contains(p, "Every notice was sent."); p = mailPanel() {
		if time.Now().After(deadline) {
			t.Fatalf("admin's mail panel after delivery = %q", p)
		}
		time.Sleep(50 * time.Millisecond) // polling the dashboard, with a deadline
	}
}

// waitSubject waits for a message to to whose subject contains part.
func waitSubject(t *testing.T, mp *mailpit.Server, to, part string, within time.Duration) mailpit.Message {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		for _, m := range mp.Messages(t) {
			if len(m.To) == 1 && m.To[0].Address == to && strings.Contains(m.Subject, part) {
				return mp.Message(t, m.ID)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message to %s with %q in the subject within %v (received: %v)", to, part, within, mp.Messages(t))
		}
		time.Sleep(50 * time.Millisecond) // polling the API, with a deadline
	}
}

func mustURL(s string) *url.URL { u, _ := url.Parse(s); return u }
