package editorial_test

import (
	"testing"
	"time"

	"byline/internal/news"
)

// A correction is a change readers see: the article's "Updated" time moves
// to it (a draft's correction does not touch it).
func TestCorrectionSetsUpdated(t *testing.T) {
	e := setup(t)
	a := e.draft(t, editor, "Rail fares frozen")
	if _, err := e.svc.Publish(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	before, _ := e.svc.Get(ctx, a.ID)
	e.clk.Add(3 * time.Hour)
	c, err := e.svc.Correct(ctx, editor, a.ID, news.KindCorrection, "The freeze lasts a year, not two.")
	if err != nil {
		t.Fatal(err)
	}
	after, _ := e.svc.Get(ctx, a.ID)
	if !after.UpdatedAt.Equal(c.CreatedAt) || !after.UpdatedAt.After(before.UpdatedAt) {
		t.Errorf("updated %v after a correction at %v (was %v), want the correction's time", after.UpdatedAt, c.CreatedAt, before.UpdatedAt)
	}
	if !after.PublishedAt.Equal(before.PublishedAt) {
		t.Errorf("the correction moved the publication time %v -> %v", before.PublishedAt, after.PublishedAt)
	}
	if got := e.rec.types(); got != "publish,update" {
		t.Errorf("events %q, want publish,update", got)
	}
}
