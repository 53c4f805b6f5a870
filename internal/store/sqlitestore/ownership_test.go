package sqlitestore

import (
	"testing"

	"byline/internal/store/storetest"
)

func TestOwnershipConformance(t *testing.T) { storetest.RunOwnership(t, openTemp) }
