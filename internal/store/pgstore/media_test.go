package pgstore

import (
	"testing"

	"byline/internal/store/storetest"
)

func TestConformanceMediaPagingWebhooksImports(t *testing.T) {
	storetest.RunMediaPagingWebhooksImports(t, openFresh)
}
