package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

func init() { register("ModRuleGeneration", testModRuleGeneration) }

// testModRuleGeneration: every change to the rules (a new rule, a new
// version, an order, a retirement) raises their generation; a refused
// change does not; RuleArticle reads the generation with the article.
// Servers compare it with the rules they hold before each comment.
func testModRuleGeneration(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Generations", "Text", time.Hour, nil)
	gen := func() int64 {
		t.Helper()
		g, err := s.RuleGeneration(ctx)
		must(t, err)
		return g
	}
	g := gen()
	if ra, err := s.RuleArticle(ctx, a.ID); err != nil || ra.RulesGeneration != g {
		t.Fatalf("RuleArticle generation = %d (%v), want %d", ra.RulesGeneration, err, g)
	}
	step := func(what string, change func() error, raised bool) {
		t.Helper()
		before := gen()
		err := change()
		after := gen()
		switch {
		case raised && err != nil:
			t.Errorf("%s: %v", what, err)
		case raised && after <= before:
			t.Errorf("%s: generation %d -> %d, want it raised", what, before, after)
		case !raised && err == nil:
			t.Errorf("%s: accepted, want refused", what)
		case !raised && after != before:
			t.Errorf("%s (refused): generation %d -> %d, want it unchanged", what, before, after)
		}
	}
	one := news.ModRule{Name: "One", Action: news.RuleClosed, Message: "Closed.", Clause: "1"}
	step("new rule", func() error { return s.SaveModRule(ctx, &one) }, true)
	two := news.ModRule{Name: "Two", Action: news.RuleOpen}
	step("second rule", func() error { return s.SaveModRule(ctx, &two) }, true)
	v2 := one
	v2.Message = "Closed tonight."
	step("new version", func() error { return s.SaveModRule(ctx, &v2) }, true)
	stale := one // version 1 again
	step("stale version", func() error { return s.SaveModRule(ctx, &stale) }, false)
	bad := news.ModRule{Name: "", Action: news.RuleClosed}
	step("invalid rule", func() error { return s.SaveModRule(ctx, &bad) }, false)
	step("order", func() error { return s.OrderModRules(ctx, []int64{two.ID, one.ID}) }, true)
	step("order naming an unknown rule", func() error { return s.OrderModRules(ctx, []int64{99999}) }, false)
	step("retire", func() error { return s.RetireModRule(ctx, two.ID) }, true)
	step("retire an unknown rule", func() error { return s.RetireModRule(ctx, 99999) }, false)
	// The article's flags are metadata, read with each evaluation: they
	// do not change the rules' generation.
	before := gen()
	must(t, s.SetArticleFlags(ctx, a.ID, []string{news.FlagMinors}))
	if after := gen(); after != before {
		t.Errorf("flags: generation %d -> %d, want it unchanged", before, after)
	}
	ra, err := s.RuleArticle(ctx, a.ID)
	must(t, err)
	if g := gen(); ra.RulesGeneration != g {
		t.Errorf("RuleArticle generation = %d, want %d", ra.RulesGeneration, g)
	}
}
