package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("WebhookClaimOrder", testWebhookClaimOrder)
	register("WebhookClaimConcurrent", testWebhookClaimConcurrent)
}

// testWebhookClaimOrder: a claim takes the oldest due deliveries first
// (ties by id), no more than asked, and never one not yet due.
func testWebhookClaimOrder(t *testing.T, s news.Store) {
	h := news.Webhook{URL: "https://example.com/order", Secret: "k", Active: true}
	must(t, s.CreateWebhook(ctx, &h))
	defer s.DeleteWebhook(ctx, h.ID)
	base := time.Now().UTC().Truncate(time.Millisecond)
	// Enqueued newest due first, so that id order is not due order.
	for i, at := range []time.Duration{4, 3, 2, 2, 1, 9} {
		if _, err := s.EnqueueDeliveries(ctx, fmt.Sprintf("e%d", i), []byte(`{}`), base.Add(at*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ClaimDeliveries(ctx, base.Add(5*time.Second), time.Minute, 4)
	must(t, err)
	var seq []string
	for _, d := range got {
		seq = append(seq, d.Event)
	}
	if want := "[e4 e2 e3 e1]"; fmt.Sprint(seq) != want {
		t.Errorf("claimed %v, want %s (oldest due first, then by id)", seq, want)
	}
	rest, err := s.ClaimDeliveries(ctx, base.Add(5*time.Second), time.Minute, 10)
	must(t, err)
	if len(rest) != 1 || rest[0].Event != "e0" || !rest[0].NextAttemptAt.Equal(base.Add(4*time.Second)) || rest[0].URL != h.URL {
		t.Errorf("second claim = %+v, want only e0 (e5 is not due)", rest)
	}
}

// testWebhookClaimConcurrent: workers claiming at once share the due
// deliveries out without taking any twice.
func testWebhookClaimConcurrent(t *testing.T, s news.Store) {
	h := news.Webhook{URL: "https://example.com/many", Secret: "k", Active: true}
	must(t, s.CreateWebhook(ctx, &h))
	defer s.DeleteWebhook(ctx, h.ID)
	now := time.Now().UTC().Truncate(time.Millisecond)
	const total = 40
	for i := range total {
		if _, err := s.EnqueueDeliveries(ctx, fmt.Sprintf("m%d", i), []byte(`{}`), now); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu   sync.Mutex
		seen = map[int64]int{}
		wg   sync.WaitGroup
		errs = make(chan error, 4)
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.ClaimDeliveries(ctx, now, time.Hour, 3)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, d := range got {
					seen[d.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != total {
		t.Errorf("claimed %d distinct deliveries, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("delivery %d claimed %d times", id, n)
		}
	}
}
