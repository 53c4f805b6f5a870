package sqlitestore

import (
	"testing"

	"byline/internal/store/storetest"
)

func TestConformancePartB(t *testing.T) { storetest.RunPartB(t, openTemp) }
