package pgstore

import (
	"testing"

	"byline/internal/store/storetest"
)

func TestConformancePartB(t *testing.T) { storetest.RunPartB(t, openFresh) }
