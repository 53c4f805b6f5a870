package newsroom

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"byline/internal/comments"
	"byline/internal/news"
)

// RulesData is the data of comments_rules.html: the rules in priority
// order and an empty form for a new one.
type RulesData struct {
	Rules []RuleRow
	Form  RuleForm
}

// RuleRow is a rule with its conditions in words.
type RuleRow struct {
	news.ModRule
	When string
}

// RuleForm is the data of the rule form (new rule or next version).
type RuleForm struct {
	Rule     news.ModRule
	Sections []news.Section
	Clauses  []news.PolicyClause
	Actions  []news.RuleAction
	Flags    []struct{ Name, Label string }
	Tags     string
	Versions []RuleRow
	Stories  []news.Story
	Statuses []news.StoryStatus
	// Error is why the rule as typed was refused (shown over the form,
	// which keeps what was typed).
	Error string
}

// HasStory reports whether the form's rule names story id.
func (f RuleForm) HasStory(id int64) bool { return slices.Contains(f.Rule.When.StoryIDs, id) }

// HasStatus reports whether the form's rule names story status st.
func (f RuleForm) HasStatus(st news.StoryStatus) bool {
	return slices.Contains(f.Rule.When.StoryStatuses, st)
}

// Has reports whether the form's rule names section id.
func (f RuleForm) Has(id int64) bool { return slices.Contains(f.Rule.When.SectionIDs, id) }

// HasFlag reports whether the form's rule names flag.
func (f RuleForm) HasFlag(flag string) bool { return slices.Contains(f.Rule.When.Flags, flag) }

func (a *CommentsAdmin) ruleForm(r *http.Request, m news.ModRule) (RuleForm, error) {
	secs, err := a.svc.Store().ListSections(r.Context())
	if err != nil {
		return RuleForm{}, err
	}
	stories, err := a.svc.Store().ListStories(r.Context(), news.StoryQuery{Limit: 200})
	if err != nil {
		return RuleForm{}, err
	}
	if m.Action == "" {
		m.Action = news.RulePremoderate
	}
	return RuleForm{Rule: m, Sections: secs, Clauses: a.svc.Policy().Clauses(), Actions: news.RuleActions, Flags: news.ArticleFlags,
		Tags: strings.Join(m.When.Tags, ", "), Stories: stories, Statuses: []news.StoryStatus{news.StoryDeveloping, news.StoryConcluded, news.StoryDormant}}, nil
}

// describe puts a rule's conditions in words for the list.
func describe(w news.RuleWhen, secs []news.Section, stories []news.Story) string {
	var parts []string
	if len(w.SectionIDs) > 0 {
		var names []string
		for _, id := range w.SectionIDs {
			name := "#" + strconv.FormatInt(id, 10)
			for _, s := range secs {
				if s.ID == id {
					name = s.Name
				}
			}
			names = append(names, name)
		}
		parts = append(parts, "section in "+strings.Join(names, ", "))
	}
	if len(w.Tags) > 0 {
		parts = append(parts, "tag in "+strings.Join(w.Tags, ", "))
	}
	if len(w.Flags) > 0 {
		var l []string
		for _, f := range w.Flags {
			l = append(l, news.FlagLabel(f))
		}
		parts = append(parts, "flagged "+strings.Join(l, " or "))
	}
	if len(w.StoryIDs) > 0 {
		var names []string
		for _, id := range w.StoryIDs {
			name := "#" + strconv.FormatInt(id, 10)
			for _, st := range stories {
				if st.ID == id {
					name = st.Title
				}
			}
			names = append(names, name)
		}
		parts = append(parts, "in the story "+strings.Join(names, " or "))
	}
	if len(w.StoryStatuses) > 0 {
		var l []string
		for _, st := range w.StoryStatuses {
			l = append(l, string(st))
		}
		parts = append(parts, "in a "+strings.Join(l, " or ")+" story")
	}
	if w.OlderThanDays > 0 {
		parts = append(parts, "published over "+strconv.Itoa(w.OlderThanDays)+" days ago")
	}
	if w.CommentsOver > 0 {
		parts = append(parts, "over "+strconv.Itoa(w.CommentsOver)+" comments")
	}
	if w.From != "" {
		parts = append(parts, "local time "+w.From+"–"+w.Until)
	}
	if len(parts) == 0 {
		return "every article"
	}
	return strings.Join(parts, "; ")
}

// Rules lists the moderation rules.
func (a *CommentsAdmin) Rules(w http.ResponseWriter, r *http.Request) {
	a.rulesPage(w, r, news.ModRule{}, nil)
}

// rulesPage shows the rules and the new rule's form: empty, or as typed
// with why it was refused (refused: nil for none).
func (a *CommentsAdmin) rulesPage(w http.ResponseWriter, r *http.Request, typed news.ModRule, refused error) {
	list, err := a.svc.Store().ModRules(r.Context())
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	f, err := a.ruleForm(r, typed)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	d := RulesData{Form: f}
	for _, m := range list {
		d.Rules = append(d.Rules, RuleRow{m, describe(m.When, f.Sections, f.Stories)})
	}
	if refused != nil {
		d.Form.Error = news.PublicMessage(refused)
		a.UI.RenderStatus(w, r, statusOf(refused), "comments_rules", d)
		return
	}
	a.UI.Render(w, r, "comments_rules", d)
}

// formRefusal reports whether err is the editor's to fix in the form
// (invalid input, or a version saved meanwhile) rather than a failure.
func formRefusal(err error) bool {
	k := news.KindOf(err)
	return k == news.KindInvalid || k == news.KindConflict
}

// parseRule reads the rule form.
func parseRule(r *http.Request) (news.ModRule, error) {
	f := r.PostFormValue
	m := news.ModRule{Name: f("name"), Action: news.RuleAction(f("action")), Message: f("message"), Clause: f("clause"), Note: strings.TrimSpace(f("note"))}
	if err := r.ParseForm(); err != nil {
		return m, news.Invalid("form", "the form could not be read")
	}
	// The version first: a form shown again after a refusal must still
	// name the version it edits.
	if v := f("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return m, news.Invalid("version", "unknown rule version")
		}
		m.Version = n
	}
	for _, v := range r.PostForm["section"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return m, news.Invalid("section", "unknown section")
		}
		m.When.SectionIDs = append(m.When.SectionIDs, id)
	}
	for _, t := range strings.Split(f("tags"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			m.When.Tags = append(m.When.Tags, t)
		}
	}
	m.When.Flags = append(m.When.Flags, r.PostForm["flag"]...)
	for _, v := range r.PostForm["story"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return m, news.Invalid("story", "unknown story")
		}
		m.When.StoryIDs = append(m.When.StoryIDs, id)
	}
	for _, v := range r.PostForm["story_status"] {
		m.When.StoryStatuses = append(m.When.StoryStatuses, news.StoryStatus(v))
	}
	for k, p := range map[string]*int{"older_than_days": &m.When.OlderThanDays, "comments_over": &m.When.CommentsOver} {
		if v := strings.TrimSpace(f(k)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return m, news.Invalid(k, "%s must be a whole number from 0", strings.ReplaceAll(k, "_", " "))
			}
			*p = n
		}
	}
	m.When.From, m.When.Until = strings.TrimSpace(f("from")), strings.TrimSpace(f("until"))
	return m, nil
}

// CreateRule stores a new rule, last in priority.
func (a *CommentsAdmin) CreateRule(w http.ResponseWriter, r *http.Request) {
	m, err := parseRule(r)
	if err == nil {
		m.Version = 0
		err = a.svc.SaveRule(r.Context(), a.Actor(r), &m)
	}
	if formRefusal(err) {
		m.ID, m.Version = 0, 0
		a.rulesPage(w, r, m, err)
		return
	}
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments/rules", "Rule "+strconv.FormatInt(m.ID, 10)+" saved (version 1)")
}

// RuleEdit shows a rule's form and its versions.
func (a *CommentsAdmin) RuleEdit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "moderation rule")
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.ruleEditPage(w, r, id, nil, nil)
}

// ruleEditPage shows rule id's form, filled with its newest version or
// with what was typed (typed) and why it was refused.
func (a *CommentsAdmin) ruleEditPage(w http.ResponseWriter, r *http.Request, id int64, typed *news.ModRule, refused error) {
	vs, err := a.svc.Store().ModRuleVersions(r.Context(), id)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	m := vs[0]
	m.Note = "" // the note says what the next version changes
	if typed != nil {
		m = *typed
		m.ID, m.Retired = id, vs[0].Retired
	}
	f, err := a.ruleForm(r, m)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	for _, v := range vs {
		f.Versions = append(f.Versions, RuleRow{v, describe(v.When, f.Sections, f.Stories)})
	}
	if refused != nil {
		f.Error = news.PublicMessage(refused)
		a.UI.RenderStatus(w, r, statusOf(refused), "comments_rule_edit", f)
		return
	}
	a.UI.Render(w, r, "comments_rule_edit", f)
}

// SaveRule stores the next version of a rule.
func (a *CommentsAdmin) SaveRule(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "moderation rule")
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	m, err := parseRule(r)
	if err == nil {
		if m.Version == 0 {
			err = news.Invalid("version", "the form lacks the version it edits; reload it")
		} else {
			m.ID = id
			typed := m
			if err = a.svc.SaveRule(r.Context(), a.Actor(r), &m); err != nil {
				m = typed
			}
		}
	}
	if formRefusal(err) && !news.IsNotFound(err) {
		a.ruleEditPage(w, r, id, &m, err)
		return
	}
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments/rules/"+strconv.FormatInt(id, 10), "Rule saved as version "+strconv.Itoa(m.Version))
}

// RetireRule takes a rule out of force.
func (a *CommentsAdmin) RetireRule(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "moderation rule")
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	if err := a.svc.RetireRule(r.Context(), a.Actor(r), id); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments/rules", "Rule "+strconv.FormatInt(id, 10)+" retired")
}

// MoveRule moves a rule one place up or down in priority.
func (a *CommentsAdmin) MoveRule(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "moderation rule")
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	dir := r.PostFormValue("dir")
	if dir != "up" && dir != "down" {
		a.UI.Error(w, r, news.Invalid("dir", "move a rule up or down"))
		return
	}
	list, err := a.svc.Store().ModRules(r.Context())
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	ids := make([]int64, len(list))
	at := -1
	for i, m := range list {
		ids[i] = m.ID
		if m.ID == id {
			at = i
		}
	}
	if at < 0 {
		a.UI.Error(w, r, news.NotFound("moderation rule"))
		return
	}
	to := at - 1
	if dir == "down" {
		to = at + 1
	}
	if to >= 0 && to < len(ids) {
		ids[at], ids[to] = ids[to], ids[at]
	}
	if err := a.svc.OrderRules(r.Context(), a.Actor(r), ids); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments/rules", "Rule "+strconv.FormatInt(id, 10)+" moved "+dir)
}

// ArticleModData is the data of comments_article.html: why an article's
// comments are moderated as they are, and its flags.
type ArticleModData struct {
	Article news.Article
	Mode    news.ArticleCommentMode
	Switch  news.ArticleCommentMode
	Verdict comments.Verdict
	Flags   []struct{ Name, Label string }
	Has     map[string]bool
	Rules   int
}

// ArticleModeration answers "why is this article pre-moderated?" for
// editors and sets the article's flags.
func (a *CommentsAdmin) ArticleModeration(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "article")
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	ctx := r.Context()
	art, err := a.svc.Store().ArticleByID(ctx, id)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	sw, err := a.svc.Store().ArticleCommentMode(ctx, id)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	mode, v, err := a.svc.ArticleMode(ctx, id)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	ra, err := a.svc.Store().RuleArticle(ctx, id)
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	d := ArticleModData{Article: art, Mode: mode, Switch: sw, Verdict: v, Flags: news.ArticleFlags, Has: map[string]bool{}, Rules: a.svc.Rules().Len()}
	for _, f := range ra.Flags {
		d.Has[f] = true
	}
	a.UI.Render(w, r, "comments_article", d)
}

// ArticleFlags replaces an article's moderation flags.
func (a *CommentsAdmin) ArticleFlags(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "article")
	if err != nil {
		a.UI.Error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		a.UI.Error(w, r, news.Invalid("form", "the form could not be read"))
		return
	}
	if err := a.svc.SetArticleFlags(r.Context(), a.Actor(r), id, r.PostForm["flag"]); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments/articles/"+strconv.FormatInt(id, 10), "Flags saved")
}

// pathID reads the {id} of the path; what names it in the error.
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.NotFound(what)
	}
	return id, nil
}

// filterQueue keeps the items whose article is in the filter's sections
// (or below) or carries one of its tags, read from the article now.
func (a *CommentsAdmin) filterQueue(r *http.Request, items []news.ModerationQueueItem, f news.QueueFilter) ([]news.ModerationQueueItem, error) {
	keep := map[int64]bool{}
	var out []news.ModerationQueueItem
	for _, it := range items {
		id := it.Comment.ArticleID
		ok, seen := keep[id]
		if !seen {
			ra, err := a.svc.Store().RuleArticle(r.Context(), id)
			if err != nil && !news.IsNotFound(err) {
				return nil, err
			}
			ok = anyOf(f.SectionIDs, ra.Sections) || anyOf(f.Tags, ra.Tags) || anyOf(f.StoryIDs, ra.Stories)
			keep[id] = ok
		}
		if ok {
			out = append(out, it)
		}
	}
	if len(out) > 100 {
		out = out[:100]
	}
	return out, nil
}

func anyOf[T comparable](want, have []T) bool {
	for _, h := range have {
		if slices.Contains(want, h) {
			return true
		}
	}
	return false
}

// SaveFilter adds a saved view of the queue.
func (a *CommentsAdmin) SaveFilter(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		a.UI.Error(w, r, news.Invalid("form", "the form could not be read"))
		return
	}
	f := news.QueueFilter{Name: r.PostFormValue("name")}
	for _, v := range r.PostForm["section"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			a.UI.Error(w, r, news.Invalid("section", "unknown section"))
			return
		}
		f.SectionIDs = append(f.SectionIDs, id)
	}
	for _, t := range strings.Split(r.PostFormValue("tags"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			f.Tags = append(f.Tags, t)
		}
	}
	for _, v := range r.PostForm["story"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			a.UI.Error(w, r, news.Invalid("story", "unknown story"))
			return
		}
		f.StoryIDs = append(f.StoryIDs, id)
	}
	if err := f.Validate(); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	set := a.svc.Settings()
	if len(set.QueueFilters) >= 20 {
		a.UI.Error(w, r, news.Invalid("name", "keep at most 20 saved filters; delete one first"))
		return
	}
	set.QueueFilters = append(slices.Clone(set.QueueFilters), f)
	if err := a.svc.SaveSettings(r.Context(), a.Actor(r), set); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/comments?filter="+strconv.Itoa(len(set.QueueFilters)-1), http.StatusSeeOther)
}

// DeleteFilter removes a saved view of the queue.
func (a *CommentsAdmin) DeleteFilter(w http.ResponseWriter, r *http.Request) {
	set := a.svc.Settings()
	n, err := strconv.Atoi(r.PostFormValue("filter"))
	if err != nil || n < 0 || n >= len(set.QueueFilters) {
		a.UI.Error(w, r, news.NotFound("saved filter"))
		return
	}
	set.QueueFilters = slices.Delete(slices.Clone(set.QueueFilters), n, n+1)
	if err := a.svc.SaveSettings(r.Context(), a.Actor(r), set); err != nil {
		a.UI.Error(w, r, err)
		return
	}
	a.done(w, r, "/admin/comments", "Saved filter deleted")
}
