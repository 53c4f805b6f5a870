package pgstore

import (
	"testing"

	"byline/internal/store/storetest"
)

func TestConformanceGlossary(t *testing.T) { storetest.RunGlossary(t, openFresh) }
