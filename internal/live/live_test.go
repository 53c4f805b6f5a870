package live

import "testing"

func TestHub(t *testing.T) {
	h := NewHub()
	a, cancelA := h.Subscribe(1)
	b, cancelB := h.Subscribe(2)
	h.Publish(1)
	h.Publish(1) // coalesced: one pending signal
	select {
	case <-a:
	default:
		t.Fatal("story 1's subscriber got no signal")
	}
	select {
	case <-a:
		t.Fatal("two publishes gave two signals; want them coalesced into one")
	default:
	}
	select {
	case <-b:
		t.Fatal("story 2's subscriber was signalled for story 1")
	default:
	}
	h.PublishAll()
	select {
	case <-b:
	default:
		t.Fatal("PublishAll did not reach story 2")
	}
	if n := h.Subscribers(); n != 2 {
		t.Errorf("Subscribers = %d, want 2", n)
	}
	cancelA()
	cancelB()
	if n := h.Subscribers(); n != 0 {
		t.Errorf("after cancel Subscribers = %d, want 0", n)
	}
	h.Close()
	h.Close()
	select {
	case <-h.Done():
	default:
		t.Fatal("Done not closed after Close")
	}
}
