package sqlitestore

import (
	"strings"
	"testing"
	"time"

	"byline/internal/store"
)

// TestStoryBoxQueryPlan: the member box's one statement reaches every
// table by an index (no full scan of entries, articles or stories),
// whatever the size of the paper. The plan is printed with -v; it is the
// one docs/stories.md shows.
func TestStoryBoxQueryPlan(t *testing.T) {
	st := openTemp(t).(*Store)
	defer st.Close()
	now := time.Now().UnixMilli()
	rows, err := st.Reader().Query(`EXPLAIN QUERY PLAN `+store.StoryBoxSQL, now, now, now, int64(1), now, now, now, 3, now, now, now)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	t.Logf("plan:\n%s", strings.Join(plan, "\n"))
	for _, d := range plan {
		f := strings.Fields(d)
		if len(f) >= 2 && f[0] == "SCAN" {
			switch f[1] {
			case "e", "me", "a", "s", "story_entries", "articles", "stories":
				t.Errorf("full scan in the box's plan: %q", d)
			}
		}
	}
	if len(plan) == 0 {
		t.Fatal("no plan")
	}
}
