package dictionary

import (
	"sync"
	"testing"
)

var (
	testOnce sync.Once
	testLex  *Lexicon
	testErr  error
)

// lexicon returns the lexicon shared by the tests of this package; it is
// decoded once, as a server would.
func lexicon(tb testing.TB) *Lexicon {
	tb.Helper()
	testOnce.Do(func() { testLex, testErr = Load() })
	if testErr != nil {
		tb.Fatalf("Load: %v", testErr)
	}
	return testLex
}
