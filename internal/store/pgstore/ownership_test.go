package pgstore

import (
	"testing"

	"byline/internal/store/storetest"
)

func TestOwnershipConformance(t *testing.T) {
	testURL(t)
	storetest.RunOwnership(t, openFresh)
}
