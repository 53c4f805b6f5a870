// Package web serves the comment features' reader pages (the Standards
// Board Policy with its versions, the "Social comment?" help page, "my
// account", the sign-in pages) through the site's templates and layout,
// and gives the article page's comments partial its data.
package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"byline/internal/comments"
	"byline/internal/markup"
	"byline/internal/news"
	"byline/internal/readerauth"
	"byline/internal/render"
	"byline/internal/site"
)

// LangCookie keeps the reader's choice of comment-box language.
const LangCookie = readerauth.LangCookie

// Lang is the reader's language for the comment UI: the cookie, else
// the best match of Accept-Language (English or Korean).
func Lang(r *http.Request) string { return readerauth.Lang(r) }

// Web holds the pages.
type Web struct {
	svc    *comments.Service
	auth   *readerauth.Auth
	site   *site.Site
	pages  *render.Renderer
	md     *markup.Renderer
	logger *slog.Logger
}

// New builds the pages. auth may be set later with SetAuth (the auth
// package needs the pages for its own error pages).
func New(svc *comments.Service, st *site.Site, pages *render.Renderer, md *markup.Renderer, logger *slog.Logger) *Web {
	if logger == nil {
		logger = slog.Default()
	}
	return &Web{svc: svc, site: st, pages: pages, md: md, logger: logger}
}

// SetAuth connects the reader sign-in.
func (w *Web) SetAuth(a *readerauth.Auth) { w.auth = a }

// ConnectNames is what the box's "connect" sentence names: empty when X
// or Facebook is set up (the paper's own sentence, "Log in to Twitter or
// Facebook account to connect", is then true), else the labels of the
// configured providers, separated by "|" for the page script to join in
// the reader's language.
func ConnectNames(links []readerauth.Link) string {
	var names []string
	for _, l := range links {
		if l.Name == "x" || l.Name == "facebook" {
			return ""
		}
		names = append(names, l.Label)
	}
	return strings.Join(names, "|")
}

// Funcs are the template functions the comments partial uses; the
// server passes them to render.New.
func Funcs(thread func(ctx context.Context, articleID int64) *comments.Thread) template.FuncMap {
	return template.FuncMap{
		"commentThread":       func(articleID int64) *comments.Thread { return thread(context.Background(), articleID) },
		"commentConnectNames": ConnectNames,
		"commentText":         BoxText,
		"commentItem":         commentItem,
		"commentJoinOr": func(names string) string {
			l := strings.Split(names, "|")
			if len(l) == 1 {
				return l[0]
			}
			return strings.Join(l[:len(l)-1], ", ") + " or " + l[len(l)-1]
		},
	}
}

// Thread is the data of the comments partial for one article: the same
// for every reader, so the page stays cacheable.
func (w *Web) Thread(ctx context.Context, articleID int64) *comments.Thread {
	if articleID == 0 {
		// The preview of an article not saved yet: nothing to load.
		t := &comments.Thread{Max: comments.MaxGraphemes}
		if w.auth != nil {
			t.Providers = w.auth.Links()
		}
		return t
	}
	t, err := w.svc.Thread(ctx, articleID)
	if err != nil {
		w.logger.ErrorContext(ctx, "load comments for page", "article", articleID, "err", err)
		t = &comments.Thread{ArticleID: articleID, Max: comments.MaxGraphemes}
	}
	if w.auth != nil {
		t.Providers = w.auth.Links()
	}
	return t
}

// fail answers err with the site's error page, in Korean for a reader
// of the Korean pages (headings, the search box, the refusal when it is
// known; else the domain's English words, marked lang="en").
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, err error) {
	if Lang(r) != "ko" {
		w.site.Error(rw, r, err)
		return
	}
	readerauth.RememberLang(rw, r)
	w.site.ErrorIn(rw, r, err, func(status int, p *site.ErrorPage) {
		p.PageLang = "ko"
		h, ok := errorHeadingsKO[status]
		if !ok {
			h = "문제가 생겼습니다"
		}
		p.Heading, p.Title = h, h+" | "+p.Site.Name
		if status == http.StatusNotFound {
			p.Message = "페이지를 찾지 못했습니다. 옮겨졌거나 주소가 잘못되었을 수 있습니다."
		} else if ko, ok := errorTextKO(p.Message); ok {
			p.Message = ko
		} else {
			p.MessageLang = "en"
		}
		p.SearchLabel, p.SearchButton, p.HomeLink = "신문 검색", "검색", textFor("ko")["frontPage"]
	})
}

// base is the layout's data of a page in lang: the page is marked in
// its language (<html lang>), the site's own parts in the site's.
func (w *Web) base(lang, title, description, canonicalPath string) site.Base {
	b := w.site.Base(title, description, canonicalPath)
	b.PageLang = lang
	return b
}

func (w *Web) html(rw http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := w.pages.Render(&buf, page, data); err != nil {
		w.logger.ErrorContext(r.Context(), "render", "page", page, "err", err)
		http.Error(rw, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	// A page opened with ?lang= keeps that language for the next ones.
	readerauth.RememberLang(rw, r)
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	rw.Write(buf.Bytes())
}

// PolicyPage is the data of comments_policy.html.
type PolicyPage struct {
	site.Base
	Policy    news.PolicyVersion
	Clauses   []ClauseView
	Intro     template.HTML
	Versions  []news.PolicyVersion
	IsCurrent bool
	Lang      string
	T         Text
	Langs     []LangLink
}

// ClauseView is a clause with its text as HTML.
type ClauseView struct {
	news.PolicyClause
	HTML template.HTML
}

func (w *Web) Policy(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st := w.svc.Store()
	p := w.svc.Policy()
	current := true
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			w.fail(rw, r, news.NotFound("policy version"))
			return
		}
		if p, err = st.PolicyVersionByNumber(ctx, n); err != nil {
			w.fail(rw, r, err)
			return
		}
		current = p.Version == w.svc.Policy().Version
	}
	versions, err := st.PolicyVersions(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	lang := Lang(r)
	tx := textFor(lang)
	data := PolicyPage{Base: w.base(lang, tx["policyTitle"], tx["policyDesc"], "/comments/policy"),
		Policy: p, Versions: versions, IsCurrent: current, Lang: lang, T: tx, Langs: langLinks(r, lang)}
	if !current {
		data.Robots = "noindex"
	}
	intro := p.Body
	if i := strings.Index(intro, "\n## "); i >= 0 {
		intro = intro[:i]
	}
	intro = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(intro), "# Standards Board Policy for comments"))
	data.Intro = w.md.HTML(strings.TrimLeft(intro, "# "))
	for _, c := range p.Clauses() {
		data.Clauses = append(data.Clauses, ClauseView{PolicyClause: c, HTML: w.md.HTML(c.Body)})
	}
	w.html(rw, r, http.StatusOK, "comments_policy", data)
}

// HelpPage is the data of comments_help.html.
type HelpPage struct {
	site.Base
	Providers []readerauth.Link
	Lang      string
	T         Text
	Langs     []LangLink
}

func (w *Web) Help(rw http.ResponseWriter, r *http.Request) {
	lang := Lang(r)
	tx := textFor(lang)
	data := HelpPage{Base: w.base(lang, tx["helpTitle"], tx["helpDesc"], "/comments/help"), Lang: lang, T: tx, Langs: langLinks(r, lang)}
	if w.auth != nil {
		data.Providers = w.auth.Links()
	}
	w.html(rw, r, http.StatusOK, "comments_help", data)
}

// Lang sets the comment-box language (for pages without script).
func (w *Web) Lang(rw http.ResponseWriter, r *http.Request) {
	l := r.URL.Query().Get("set")
	if l != "en" && l != "ko" {
		l = "en"
	}
	readerauth.SetLang(rw, l)
	http.Redirect(rw, r, readerauth.SafeReturn(r.URL.Query().Get("return")), http.StatusSeeOther)
}

// AccountPage is the data of comments_account.html.
type AccountPage struct {
	site.Base
	Reader    *news.Reader
	Comments  []AccountComment
	Providers []readerauth.Link
	Banned    bool
	// Ban is the statement of reasons of the reader's ban, with its
	// appeal (nil when not banned).
	Ban *comments.Reason
	// MailOn: the site sends notices by e-mail (the address form shows);
	// EmailNote is the answer to the reader's last e-mail action.
	MailOn    bool
	EmailNote string
	// ProviderLabel names the reader's sign-in as its button does
	// ("Google", not "google").
	ProviderLabel string
	Lang          string
	T             Text
	Langs         []LangLink
}

// AccountComment is one of the reader's comments with its state.
type AccountComment struct {
	comments.View
	ArticleURL, Headline string
}

func (w *Web) Account(rw http.ResponseWriter, r *http.Request) {
	lang := Lang(r)
	tx := textFor(lang)
	data := AccountPage{Base: w.base(lang, tx["accountTitle"], "", ""), Lang: lang, T: tx, Langs: langLinks(r, lang)}
	data.Robots = "noindex"
	if w.auth != nil {
		data.Providers = w.auth.Links()
	}
	rd, ok, err := w.readerOrError(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if ok {
		data.Reader = &rd
		data.ProviderLabel = rd.Provider
		for _, l := range data.Providers {
			if l.Name == rd.Provider {
				data.ProviderLabel = l.Label
			}
		}
		data.Banned = rd.Banned(w.svc.Now())
		data.MailOn = w.svc.MailEnabled()
		switch r.URL.Query().Get("email") {
		case "sent":
			data.EmailNote = tx["emailSent"]
		case "cleared":
			data.EmailNote = tx["emailCleared"]
		}
		if data.Ban, err = w.svc.BanReason(r.Context(), rd); err != nil {
			w.fail(rw, r, err)
			return
		}
		list, err := w.svc.Store().ReaderComments(r.Context(), rd.ID, 200, 0)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		heads := map[int64]news.Article{}
		now := w.svc.Now()
		ids := make([]int64, len(list))
		for i, c := range list {
			ids[i] = c.ID
		}
		reasons, err := w.svc.Reasons(r.Context(), rd.ID, ids)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		for _, c := range list {
			a, seen := heads[c.ArticleID]
			if !seen {
				a, _ = w.svc.Store().ArticleByID(r.Context(), c.ArticleID)
				heads[c.ArticleID] = a
			}
			ac := AccountComment{View: comments.ViewOf(c, rd.ID, now), Headline: a.Headline}
			if rs, ok := reasons[c.ID]; ok && !c.Shadow && (c.Status != news.CommentApproved || rs.Appeal != nil) {
				ac.Reason = &rs
			}
			if a.ID != 0 {
				ac.ArticleURL = a.URL() + "#comment-" + strconv.FormatInt(c.ID, 10)
			}
			data.Comments = append(data.Comments, ac)
		}
	}
	w.html(rw, r, http.StatusOK, "comments_account", data)
}

// HistoryPage is the data of comments_reader.html.
type HistoryPage struct {
	site.Base
	H     comments.History
	Lang  string
	T     Text
	Langs []LangLink
}

// History is a commenter's public record (when the paper shows it).
func (w *Web) History(rw http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.fail(rw, r, news.NotFound("commenter"))
		return
	}
	h, err := w.svc.History(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	lang := Lang(r)
	tx := textFor(lang)
	data := HistoryPage{Base: w.base(lang, h.Name, tx["historyDesc"], ""), H: h, Lang: lang, T: tx, Langs: langLinks(r, lang)}
	data.Robots = "noindex"
	w.html(rw, r, http.StatusOK, "comments_reader", data)
}

// AppealForm records an appeal sent from the account page (without
// script) and goes back to it.
func (w *Web) AppealForm(rw http.ResponseWriter, r *http.Request) {
	rd, ok, err := w.readerOrError(r)
	if err == nil && !ok {
		err = news.Errorf(news.KindUnauthorized, "log in to appeal a decision")
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// The ban's form says ban=1; a comment's form names the comment.
	var id int64
	if r.PostFormValue("ban") != "1" {
		if id, _ = strconv.ParseInt(r.PostFormValue("comment_id"), 10, 64); id <= 0 {
			w.fail(rw, r, news.Invalid("comment_id", "name the comment whose decision you appeal"))
			return
		}
	}
	if _, err := w.svc.Appeal(r.Context(), rd, id, r.PostFormValue("reason")); err != nil {
		w.fail(rw, r, err)
		return
	}
	if id == 0 {
		http.Redirect(rw, r, "/account?appealed=ban#ban", http.StatusSeeOther)
		return
	}
	http.Redirect(rw, r, "/account?appealed="+strconv.FormatInt(id, 10)+"#comment-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// EmailForm sets (with a confirmation message to the address first) or
// clears the signed-in reader's address for notices.
func (w *Web) EmailForm(rw http.ResponseWriter, r *http.Request) {
	rd, ok, err := w.readerOrError(r)
	if err == nil && !ok {
		err = news.Errorf(news.KindUnauthorized, "log in to choose where notices go")
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	state := "sent"
	switch r.PostFormValue("action") {
	case "clear":
		err, state = w.svc.ClearNoticeEmail(r.Context(), rd), "cleared"
	case "set":
		err = w.svc.RequestNoticeEmail(r.Context(), rd, r.PostFormValue("email"), Lang(r))
	default:
		err = news.Invalid("action", "set or clear the address")
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/account?email="+state+"#notices", http.StatusSeeOther)
}

// EmailConfirm follows the link of a confirmation message: notices go
// to the address from now on. The signed link is the proof; no session
// is needed (the link may be opened on another device).
func (w *Web) EmailConfirm(rw http.ResponseWriter, r *http.Request) {
	rd, err := w.svc.ConfirmNoticeEmail(r.Context(), r.URL.Query().Get("t"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	tx := textFor(Lang(r))
	w.message(rw, r, http.StatusOK, tx["emailConfirmedH"], strings.ReplaceAll(tx["emailConfirmedMsg"], "{addr}", rd.NoticeEmail))
}

// Unsubscribe is the link in every notice: GET asks, POST stops the
// notices (a mail client's one-click POST, RFC 8058, does the same), so
// that a link checker fetching the link changes nothing.
func (w *Web) Unsubscribe(rw http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("t")
	if r.Method == http.MethodPost && tok == "" {
		tok = r.PostFormValue("t")
	}
	lang := Lang(r)
	tx := textFor(lang)
	if r.Method != http.MethodPost {
		if _, err := w.svc.CheckUnsubscribe(r.Context(), tok); err != nil {
			w.unsubError(rw, r, err)
			return
		}
		data := MessagePage{Base: w.base(lang, tx["unsubH"], "", ""), Heading: tx["unsubH"], Message: tx["unsubAsk"], UnsubForm: true, Token: tok,
			Lang: lang, T: tx, Langs: langLinks(r, lang)}
		data.Robots = "noindex"
		w.html(rw, r, http.StatusOK, "comments_message", data)
		return
	}
	if _, err := w.svc.Unsubscribe(r.Context(), tok); err != nil {
		w.unsubError(rw, r, err)
		return
	}
	w.message(rw, r, http.StatusOK, tx["unsubDoneH"], tx["unsubDone"])
}

// unsubError answers an unsubscribe link that does not work: a genuine
// link past its time (comments.UnsubscribeTTL) gets 410 and a page that
// sends the reader to sign in and change the notices on their account
// page (nothing changed); any other error its usual page.
func (w *Web) unsubError(rw http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, comments.ErrLinkExpired) {
		w.fail(rw, r, err)
		return
	}
	lang := Lang(r)
	tx := textFor(lang)
	data := MessagePage{Base: w.base(lang, tx["unsubExpiredH"], "", ""), Heading: tx["unsubExpiredH"], Message: tx["unsubExpired"],
		AccountLink: true, Lang: lang, T: tx, Langs: langLinks(r, lang)}
	data.Robots = "noindex"
	w.html(rw, r, http.StatusGone, "comments_message", data)
}

// readerOrError is the signed-in reader; a failed session lookup is an
// error (the database is down), never "signed out".
func (w *Web) readerOrError(r *http.Request) (news.Reader, bool, error) {
	if w.auth == nil {
		return news.Reader{}, false, nil
	}
	return w.auth.ReaderOrError(r)
}

// DeleteAccount deletes the reader and their comments, then signs out.
func (w *Web) DeleteAccount(rw http.ResponseWriter, r *http.Request) {
	rd, ok, err := w.readerOrError(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !ok {
		http.Redirect(rw, r, "/account", http.StatusSeeOther)
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		tx := textFor(Lang(r))
		w.message(rw, r, http.StatusBadRequest, tx["confirmH"], tx["confirmMsg"])
		return
	}
	if err := w.svc.DeleteReader(r.Context(), rd.ID); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.auth.EndSession(rw, r)
	tx := textFor(Lang(r))
	w.message(rw, r, http.StatusOK, tx["deletedH"], tx["deletedMsg"])
}

// MessagePage is the data of comments_message.html: a sign-in error, a
// confirmation, or the dev provider's name form.
type MessagePage struct {
	site.Base
	Heading, Message string
	DevForm          bool
	// UnsubForm asks to confirm stopping e-mail notices (Token is the
	// signed link's).
	UnsubForm bool
	// AccountLink offers to sign in and change the notices on the
	// account page (an expired unsubscribe link).
	AccountLink bool
	Token, Name string
	Error       string
	Lang        string
	T           Text
	Langs       []LangLink
}

func (w *Web) message(rw http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	lang := Lang(r)
	data := MessagePage{Base: w.base(lang, heading, "", ""), Heading: heading, Message: msg, Lang: lang, T: textFor(lang), Langs: langLinks(r, lang)}
	data.Robots = "noindex"
	w.html(rw, r, status, "comments_message", data)
}

// LoginError implements readerauth.Pages.
func (w *Web) LoginError(rw http.ResponseWriter, r *http.Request, status int, msg string) {
	lang := Lang(r)
	w.message(rw, r, status, textFor(lang)["loginErrorH"], loginErrorText(lang, msg))
}

// DevNameForm implements readerauth.Pages.
func (w *Web) DevNameForm(rw http.ResponseWriter, r *http.Request, token, name, errMsg string) {
	lang := Lang(r)
	tx := textFor(lang)
	data := MessagePage{Base: w.base(lang, tx["devTitle"], "", ""), Heading: tx["devH"], Message: tx["devMsg"],
		DevForm: true, Token: token, Name: name, Error: loginErrorText(lang, errMsg), Lang: lang, T: tx, Langs: langLinks(r, lang)}
	data.Robots = "noindex"
	status := http.StatusOK
	if errMsg != "" {
		status = http.StatusBadRequest
	}
	w.html(rw, r, status, "comments_message", data)
}

var _ readerauth.Pages = (*Web)(nil)

// Now is used by templates needing the time.
func (w *Web) Now() time.Time { return w.svc.Now() }
