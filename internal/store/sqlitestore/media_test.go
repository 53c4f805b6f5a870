package sqlitestore

import (
	"testing"

	"byline/internal/store/storetest"
)

func TestConformanceMediaPagingWebhooksImports(t *testing.T) {
	storetest.RunMediaPagingWebhooksImports(t, openTemp)
}
