// Package live fans out "this story has new entries" to the open pages of
// readers (Server-Sent Events). The server publishes into a Hub from its
// change handling, so a change made on another server (PostgreSQL
// LISTEN/NOTIFY) reaches readers of this one the same way as a local one.
package live

import "sync"

// Hub keeps each story's subscribers. A subscriber's channel holds one
// pending signal: readers fetch everything new since their cursor, so
// several signals in a row are one fetch.
type Hub struct {
	mu     sync.Mutex
	subs   map[int64]map[chan struct{}]bool
	closed bool
	done   chan struct{}
}

// NewHub makes an empty hub.
func NewHub() *Hub { return &Hub{subs: map[int64]map[chan struct{}]bool{}, done: make(chan struct{})} }

// Subscribe listens to a story; cancel must be called when done.
func (h *Hub) Subscribe(storyID int64) (ch <-chan struct{}, cancel func()) {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[storyID] == nil {
		h.subs[storyID] = map[chan struct{}]bool{}
	}
	h.subs[storyID][c] = true
	return c, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs[storyID], c)
		if len(h.subs[storyID]) == 0 {
			delete(h.subs, storyID)
		}
	}
}

// Publish signals a story's subscribers (without blocking on slow ones).
func (h *Hub) Publish(storyID int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs[storyID] {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// PublishAll signals every subscriber (after the change listener
// reconnected, when changes may have been missed).
func (h *Hub) PublishAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range h.subs {
		for c := range m {
			select {
			case c <- struct{}{}:
			default:
			}
		}
	}
}

// Subscribers counts open subscriptions (metrics and tests).
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.subs {
		n += len(m)
	}
	return n
}

// Done is closed when the hub closes: streams end so that a graceful
// shutdown is not held up by connections that never go idle.
func (h *Hub) Done() <-chan struct{} { return h.done }

// Close ends every stream; it may be called more than once.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}
