package site_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"byline/internal/testutil"
)

// TestHomeLatestFolds: the home page's Latest list is eight rows, then
// the rest inside "More latest stories (N)" (a details element, so it
// opens without a script), numbered on from nine.
func TestHomeLatestFolds(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithDemo())
	res, doc := app.Get(t, "/")
	wantStatus(t, res, http.StatusOK)
	first := doc.Find("section.latest > ol.latest-list > li")
	more := doc.Find("section.latest > details.latest-more > ol.latest-list > li")
	if first.Length() != 8 || more.Length() < 1 {
		t.Fatalf("Latest: %d rows, then %d folded; want 8, then the rest", first.Length(), more.Length())
	}
	if got := doc.Find("section.latest > details.latest-more > ol").AttrOr("start", ""); got != "9" {
		t.Errorf("folded list starts at %q, want 9", got)
	}
	sum := strings.Join(strings.Fields(doc.Find("details.latest-more > summary").Text()), " ")
	if want := "More latest stories (" + strconv.Itoa(more.Length()) + ")"; sum != want {
		t.Errorf("summary %q, want %q", sum, want)
	}
}
