package newsroom

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"byline/internal/editorial"
	"byline/internal/markup"
	"byline/internal/news"
	"byline/internal/respond"
)

// EditPage is the data of edit.html.
type EditPage struct {
	Article    news.Article
	IsNew      bool
	Sections   []news.Section
	Authors    []AuthorOption
	Selected   map[int64]bool
	TagsText   string
	CanPublish bool
	Error      string
	Conflict   *editorial.ConflictError
	// Pending is the published article's draft of changes (nil: none);
	// the form then holds the draft, and PendingDiff is what publishing it
	// would change against Live.
	Pending     *news.PendingDraft
	PendingDiff []editorial.DiffLine
	// Stale: the live article changed since the draft was saved.
	Stale bool
	Live  news.Article
}

// AuthorOption is one author in the editor's byline picker.
type AuthorOption struct {
	news.Author
	Selected bool
	Me       bool // the signed-in staff member's own byline
}

// authorOptions orders the byline picker: the article's bylines in their
// order (a form sends a multi-select's choices in option order, so the
// order survives a save without script), then the signed-in editor's own
// byline (linked in /admin/users, or else an author of the same name),
// then everyone else by name.
func authorOptions(all []news.Author, byline []news.Author, u news.StaffUser) []AuthorOption {
	me := u.AuthorID
	if me == 0 && u.Name != "" {
		for _, au := range all {
			if strings.EqualFold(au.Name, u.Name) {
				me = au.ID
				break
			}
		}
	}
	byID := make(map[int64]news.Author, len(all))
	for _, au := range all {
		byID[au.ID] = au
	}
	out := make([]AuthorOption, 0, len(all))
	used := map[int64]bool{}
	add := func(id int64, selected bool) {
		au, ok := byID[id]
		if !ok || used[id] {
			return
		}
		used[id] = true
		out = append(out, AuthorOption{Author: au, Selected: selected, Me: id == me})
	}
	for _, au := range byline {
		add(au.ID, true)
	}
	add(me, false)
	rest := make([]news.Author, 0, len(all))
	for _, au := range all {
		if !used[au.ID] {
			rest = append(rest, au)
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return strings.ToLower(rest[i].Name) < strings.ToLower(rest[j].Name) })
	for _, au := range rest {
		add(au.ID, false)
	}
	return out
}

// PendingSeq is the Seq of the draft of changes the form holds (0: none).
func (p EditPage) PendingSeq() int {
	if p.Pending == nil {
		return 0
	}
	return p.Pending.Seq
}

func (n *Newsroom) editPage(r *http.Request, a news.Article, isNew bool) (EditPage, error) {
	authors, err := n.d.Store.ListAuthors(r.Context())
	if err != nil {
		return EditPage{}, err
	}
	u, _ := CurrentUser(r)
	p := EditPage{Article: a, IsNew: isNew, Sections: n.d.Tree().All, Authors: authorOptions(authors, a.Authors, u), Selected: map[int64]bool{},
		TagsText: strings.Join(a.Tags, ", "), CanPublish: u.Role.AtLeast(news.RoleEditor)}
	for _, au := range a.Authors {
		p.Selected[au.ID] = true
	}
	if !isNew && a.ID != 0 {
		d, err := n.d.Editorial.Pending(r.Context(), a.ID)
		switch {
		case err == nil:
			live, err := n.d.Editorial.Get(r.Context(), a.ID)
			if err != nil {
				return p, err
			}
			p.Pending, p.Live = &d, live
			p.PendingDiff = editorial.DiffPending(live, d)
			p.Stale = d.BaseVersion != live.Version
		case !news.IsNotFound(err):
			return p, err
		}
	}
	return p, nil
}

func (n *Newsroom) showEdit(w http.ResponseWriter, r *http.Request, status int, a news.Article, isNew bool, errMsg string, conflict *editorial.ConflictError) {
	p, err := n.editPage(r, a, isNew)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	p.Error, p.Conflict = errMsg, conflict
	n.render(w, r, status, "edit", p)
}

func (n *Newsroom) NewArticle(w http.ResponseWriter, r *http.Request) {
	a := news.Article{Status: news.StatusDraft}
	if u, ok := CurrentUser(r); ok && u.AuthorID != 0 {
		a.Authors = []news.Author{{ID: u.AuthorID}}
	}
	n.showEdit(w, r, http.StatusOK, a, true, "", nil)
}

func articleID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.NotFound("article")
	}
	return id, nil
}

func (n *Newsroom) EditArticle(w http.ResponseWriter, r *http.Request) {
	id, err := articleID(r)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	a, err := n.d.Editorial.Get(r.Context(), id)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	// A draft of changes is where the editor left off: the form holds it
	// (the version stays the live one, so a save still checks for
	// conflicts with the live article).
	if d, err := n.d.Editorial.Pending(r.Context(), id); err == nil {
		a = editorial.DraftArticle(a, d)
	} else if !news.IsNotFound(err) {
		n.Error(w, r, err)
		return
	}
	n.showEdit(w, r, http.StatusOK, a, false, "", nil)
}

// pendingSeq reads the Seq of the draft of changes the form held.
func pendingSeq(r *http.Request) (int, error) {
	v := r.PostFormValue("pending_seq")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, news.Invalid("pending_seq", "bad draft of changes")
	}
	return n, nil
}

// parseArticleForm reads the editor's fields into a.
func (n *Newsroom) parseArticleForm(r *http.Request, a *news.Article) error {
	if err := r.ParseForm(); err != nil {
		return news.Invalid("form", "the form could not be read")
	}
	f := r.PostForm
	// The plain fields' inputs are named as their tags say (news/fields.go).
	for _, field := range news.ArticleFields {
		if err := field.SetForm(a, f.Get(field.Name)); err != nil {
			return err
		}
	}
	a.Slug = strings.TrimSpace(f.Get("slug"))
	a.Body = strings.ReplaceAll(f.Get("body"), "\r\n", "\n")
	if v := f.Get("version"); v != "" {
		ver, err := strconv.Atoi(v)
		if err != nil {
			return news.Invalid("version", "bad version")
		}
		a.Version = ver
	}
	sec, err := strconv.ParseInt(f.Get("section_id"), 10, 64)
	if _, ok := n.d.Tree().ByID(sec); err != nil || !ok {
		return news.Invalid("section", "choose a section")
	}
	a.SectionID = sec
	a.Authors = nil
	for _, v := range f["authors"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return news.Invalid("authors", "unknown author")
		}
		a.Authors = append(a.Authors, news.Author{ID: id})
	}
	a.Tags = nil
	for _, t := range strings.Split(f.Get("tags"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			a.Tags = append(a.Tags, t)
		}
	}
	a.Image = nil
	if u := strings.TrimSpace(f.Get("image_url")); u != "" {
		if !safeImageURL(u) {
			return news.Invalid("image", "the image URL must start with /, http:// or https://")
		}
		a.Image = &news.Image{URL: u, Alt: strings.TrimSpace(f.Get("image_alt")), Caption: strings.TrimSpace(f.Get("image_caption")), Credit: strings.TrimSpace(f.Get("image_credit"))}
	}
	a.EmbargoUntil = time.Time{}
	if v := f.Get("embargo_until"); v != "" {
		t, err := n.parseLocal(v)
		if err != nil {
			return news.Invalid("embargo_until", "the embargo time is not a date and time")
		}
		a.EmbargoUntil = t
	}
	return nil
}

// safeImageURL allows site paths and http(s) URLs only (no javascript:
// or data: URLs in src attributes).
func safeImageURL(s string) bool {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// parseLocal reads a datetime-local value in the paper's time zone.
func (n *Newsroom) parseLocal(v string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, n.d.Config.Location); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Parse(time.RFC3339, v)
}

func (n *Newsroom) CreateArticle(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	var a news.Article
	if err := n.parseArticleForm(r, &a); err != nil {
		n.showEdit(w, r, respond.StatusOf(err), a, true, news.PublicMessage(err), nil)
		return
	}
	removed := n.d.Markup.Check(a.Body)
	if err := n.d.Editorial.Create(r.Context(), u, &a); err != nil {
		// A full disk or an unreachable database shows the form again
		// with what was typed (and the status saying why).
		err = respond.Classify(r, err)
		respond.RetryAfter(w, respond.StatusOf(err))
		if news.KindOf(err) == news.KindInternal {
			n.Error(w, r, err)
			return
		}
		n.showEdit(w, r, respond.StatusOf(err), a, true, news.PublicMessage(err), nil)
		return
	}
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(a.ID, 10)+"?done="+url.QueryEscape(withRemoved("Saved.", removed)), http.StatusSeeOther)
}

func (n *Newsroom) SaveArticle(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	id, err := articleID(r)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	action := r.PostFormValue("action")
	switch action {
	case "", "save", "submit":
	case "publish", "schedule", "unpublish", "save_pending", "schedule_pending", "discard_pending":
		if !u.Role.AtLeast(news.RoleEditor) {
			n.Error(w, r, news.Errorf(news.KindForbidden, "a %s may not %s articles; submit it for review instead", u.Role, action))
			return
		}
	default:
		n.Error(w, r, news.Invalid("action", "unknown action"))
		return
	}
	seq, err := pendingSeq(r)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	cur, err := n.d.Editorial.Get(r.Context(), id)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	if action == "discard_pending" {
		n.discardPending(w, r, u, cur, seq)
		return
	}
	if action == "unpublish" && r.PostFormValue("confirm") != "yes" {
		// Taking a story off the site is not undone by a second click:
		// ask first (admin.js asks in the page and skips this step).
		n.Render(w, r, "confirm_unpublish", cur)
		return
	}
	if action == "unpublish" {
		// The form's other fields are not saved: unpublishing is about the
		// article's status only (the confirmation page sends none).
		if _, err := n.d.Editorial.Unpublish(r.Context(), u, id); err != nil {
			n.Error(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(id, 10)+"?done="+url.QueryEscape("Unpublished."), http.StatusSeeOther)
		return
	}
	a := cur
	if err := n.parseArticleForm(r, &a); err != nil {
		n.showEdit(w, r, respond.StatusOf(err), a, false, news.PublicMessage(err), nil)
		return
	}
	ctx := r.Context()
	removed := n.d.Markup.Check(a.Body)
	if action == "save_pending" || action == "schedule_pending" {
		n.savePending(w, r, u, a, seq, action, removed)
		return
	}
	if err := n.d.Editorial.SaveLive(ctx, u, &a, seq); err != nil {
		var ce *editorial.ConflictError
		if errors.As(err, &ce) {
			a.Status = ce.Theirs.Status
			n.showEdit(w, r, http.StatusConflict, a, false, news.PublicMessage(err), ce)
			return
		}
		err = respond.Classify(r, err)
		respond.RetryAfter(w, respond.StatusOf(err))
		if k := news.KindOf(err); k == news.KindInternal || k == news.KindForbidden || k == news.KindNotFound {
			n.Error(w, r, err)
			return
		}
		n.showEdit(w, r, respond.StatusOf(err), a, false, news.PublicMessage(err), nil)
		return
	}
	done := "Saved."
	switch action {
	case "submit":
		_, err = n.d.Editorial.Submit(ctx, u, id)
		done = "Submitted for review."
	case "publish":
		_, err = n.d.Editorial.Publish(ctx, u, id)
		done = "Published."
	case "schedule":
		var at time.Time
		at, err = n.parseLocal(r.PostFormValue("publish_at"))
		if err != nil {
			err = news.Invalid("publish_at", "choose a date and time to publish at")
		} else {
			_, err = n.d.Editorial.Schedule(ctx, u, id, at)
			done = "Scheduled."
		}
	}
	if err != nil {
		if news.KindOf(err) == news.KindInvalid {
			again, _ := n.d.Editorial.Get(ctx, id)
			n.showEdit(w, r, http.StatusBadRequest, again, false, news.PublicMessage(err), nil)
			return
		}
		n.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(id, 10)+"?done="+url.QueryEscape(withRemoved(done, removed)), http.StatusSeeOther)
}

// savePending stores the form as the published article's draft of
// changes (scheduled when action is schedule_pending): the live article
// is not touched.
func (n *Newsroom) savePending(w http.ResponseWriter, r *http.Request, u news.StaffUser, a news.Article, seq int, action string, removed markup.Report) {
	// Saving the draft again keeps its schedule; Schedule changes sets a
	// new one, or, with the time emptied, takes it off the schedule.
	at, err := n.keptSchedule(r, a.ID, seq)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	unschedule := false
	if action == "schedule_pending" {
		v := strings.TrimSpace(r.PostFormValue("changes_at"))
		switch {
		case v == "" && !at.IsZero():
			at, unschedule = time.Time{}, true
		default:
			if at, err = n.parseLocal(v); err != nil {
				n.showEdit(w, r, http.StatusBadRequest, a, false, "Choose a date and time for the changes to go live.", nil)
				return
			}
		}
	}
	d, err := n.d.Editorial.SavePending(r.Context(), u, &a, seq, at)
	if err != nil {
		var ce *editorial.ConflictError
		if errors.As(err, &ce) {
			n.showEdit(w, r, http.StatusConflict, a, false, news.PublicMessage(err), ce)
			return
		}
		err = respond.Classify(r, err)
		respond.RetryAfter(w, respond.StatusOf(err))
		if k := news.KindOf(err); k == news.KindInternal || k == news.KindForbidden || k == news.KindNotFound {
			n.Error(w, r, err)
			return
		}
		n.showEdit(w, r, respond.StatusOf(err), a, false, news.PublicMessage(err), nil)
		return
	}
	done := "Draft of changes saved; the live article is unchanged."
	switch {
	case unschedule:
		done = "Draft of changes taken off the schedule; the live article is unchanged."
	case at.IsZero():
	case d.PublishAt.IsZero():
		done = "Changes published."
	case action == "save_pending":
		done = "Draft of changes saved; still scheduled for " + d.PublishAt.In(n.d.Config.Location).Format("2006-01-02 15:04 MST") + "."
	default:
		done = "Changes scheduled for " + d.PublishAt.In(n.d.Config.Location).Format("2006-01-02 15:04 MST") + "; the live article is unchanged until then."
	}
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(a.ID, 10)+"?done="+url.QueryEscape(withRemoved(done, removed)), http.StatusSeeOther)
}

// discardPending throws the draft of changes away after a confirmation
// (admin.js asks in the page; without script a page asks).
func (n *Newsroom) discardPending(w http.ResponseWriter, r *http.Request, u news.StaffUser, cur news.Article, seq int) {
	if !u.Role.AtLeast(news.RoleEditor) {
		n.Error(w, r, news.Errorf(news.KindForbidden, "a %s may not discard changes to a published article", u.Role))
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		n.Render(w, r, "confirm_discard", discardPage{Article: cur, Seq: seq})
		return
	}
	if err := n.d.Editorial.DiscardPending(r.Context(), u, cur.ID, seq); err != nil {
		n.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(cur.ID, 10)+"?done="+url.QueryEscape("Draft of changes discarded."), http.StatusSeeOther)
}

type discardPage struct {
	Article news.Article
	Seq     int
}

// removedList is the report as JSON: [{"tag": "script", "count": 2, "embed": false}].
func removedList(rep markup.Report) []markup.Removed {
	if rep.Removed == nil {
		return []markup.Removed{}
	}
	return rep.Removed
}

// withRemoved adds to a save's message which HTML of the body the page
// will not show, so nothing pasted disappears without a word.
func withRemoved(done string, rep markup.Report) string {
	if rep.Empty() {
		return done
	}
	return done + " HTML in the body is not shown on the page; " + rep.String() + "."
}

// Autosave saves from admin.js and answers JSON. A draft or an article in
// review is saved ({"version": N}); a published article's edits go to its
// draft of changes, never live ({"pending_seq": N}); a JSON error
// otherwise (409 when someone else saved first).
func (n *Newsroom) Autosave(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	id, err := articleID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	cur, err := n.d.Editorial.Get(r.Context(), id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	live := cur.Status == news.StatusPublished
	if cur.Status != news.StatusDraft && cur.Status != news.StatusReview && !live {
		respond.Error(w, r, news.Errorf(news.KindConflict, "only drafts and drafts of changes are saved automatically; press Save"))
		return
	}
	seq, err := pendingSeq(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	a := cur
	if err := n.parseArticleForm(r, &a); err != nil {
		respond.Error(w, r, err)
		return
	}
	removed := n.d.Markup.Check(a.Body)
	if live {
		at, err := n.keptSchedule(r, id, seq)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		d, err := n.d.Editorial.SavePending(r.Context(), u, &a, seq, at)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		respond.JSON(w, http.StatusOK, map[string]any{"id": a.ID, "version": cur.Version, "pending_seq": d.Seq, "saved_at": d.SavedAt,
			"removed": removed.String(), "removed_elements": removedList(removed)})
		return
	}
	if err := n.d.Editorial.Save(r.Context(), u, &a); err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, map[string]any{"id": a.ID, "version": a.Version, "saved_at": a.ModifiedAt,
		"removed": removed.String(), "removed_elements": removedList(removed)})
}

// keptSchedule is the time the draft of changes the form held (seq) is
// scheduled for, so that saving it again keeps the schedule; zero when
// there is none, or when it is already due (the scheduler publishes it: a
// save must not).
func (n *Newsroom) keptSchedule(r *http.Request, id int64, seq int) (time.Time, error) {
	if seq == 0 {
		return time.Time{}, nil
	}
	d, err := n.d.Editorial.Pending(r.Context(), id)
	if news.IsNotFound(err) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	if d.Seq != seq || !d.PublishAt.After(n.d.Now()) {
		return time.Time{}, nil
	}
	return d.PublishAt, nil
}

func (n *Newsroom) Correct(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	id, err := articleID(r)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	if _, err := n.d.Editorial.Correct(r.Context(), u, id, news.CorrectionKind(r.PostFormValue("kind")), r.PostFormValue("body")); err != nil {
		n.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(id, 10)+"?done=Note+added.", http.StatusSeeOther)
}
