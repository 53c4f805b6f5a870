package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	"byline/internal/news"
)

// ChangeBus carries changes between servers that share one database, so
// that each drops its cached pages within a second of a change made
// through any of them. The PostgreSQL engine implements it with
// LISTEN/NOTIFY; SQLite, one process, needs none.
type ChangeBus interface {
	// Publish sends a payload to every subscriber, this server's included.
	Publish(ctx context.Context, payload []byte) error
	// Subscribe calls fn with each payload until ctx ends, reconnecting
	// as needed; connected is called whenever listening (re)starts, since
	// payloads sent meanwhile are lost; dropped is told why a connection
	// ended.
	Subscribe(ctx context.Context, fn func(payload []byte), connected func(), dropped func(error)) error
}

// changeBus is the server's side of a ChangeBus.
type changeBus struct {
	bus ChangeBus
	id  string // this server's id: it ignores its own messages
}

// busMessage is the payload: the change and who made it.
type busMessage struct {
	Server string `json:"server"`
	news.Change
}

// Notify is told of every change readers could see: it drops this
// server's cached pages that showed the old state and, with several
// servers, tells the others.
func (s *Server) Notify(ctx context.Context, c news.Change) {
	s.applyChange(ctx, c)
	if s.bus == nil {
		return
	}
	payload, err := json.Marshal(busMessage{Server: s.bus.id, Change: c})
	if err != nil {
		return
	}
	// The write is committed already: publish even if the client left.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := s.bus.bus.Publish(pctx, payload); err != nil {
		s.logger.WarnContext(ctx, "publish change to the other servers", "kind", c.Kind, "err", err)
		return
	}
	s.metrics.busSent.Inc()
}

// startBus listens to the other servers' changes when the store carries
// them.
func (s *Server) startBus() {
	bus, ok := s.store.(ChangeBus)
	if !ok {
		return
	}
	var b [8]byte
	rand.Read(b[:])
	s.bus = &changeBus{bus: bus, id: hex.EncodeToString(b[:])}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = bus.Subscribe(s.bgCtx, s.receive, s.resync, func(err error) {
			s.logger.Warn("change listener disconnected; reconnecting", "err", err)
		})
	}()
	s.closers = append(s.closers, func() { <-done })
}

// receive applies another server's change to this one's caches.
func (s *Server) receive(payload []byte) {
	var m busMessage
	if err := json.Unmarshal(payload, &m); err != nil || m.Server == "" {
		s.logger.Warn("change from another server unreadable", "payload", string(payload))
		s.resync()
		return
	}
	if m.Server == s.bus.id {
		return
	}
	s.metrics.busReceived.Inc()
	if m.Kind == news.ChangeAll {
		// Another process wrote (a CLI command): reload everything.
		s.resync()
		return
	}
	s.applyChange(s.bgCtx, m.Change)
	if m.Change.Kind == news.ChangeContent {
		// Another server may have scheduled an article or set an embargo:
		// this one's scheduler looks again for the next due second.
		if e := s.Editorial(); e != nil {
			e.Rearm()
		}
	}
}

// resync runs when the listener (re)connects: changes made meanwhile
// were not heard, so everything cached or loaded may be stale.
func (s *Server) resync() {
	s.metrics.busResyncs.Inc()
	s.applyChange(s.bgCtx, news.Change{Kind: news.ChangeSections})
	if s.comments != nil {
		if err := s.comments.svc.Reload(s.bgCtx); err != nil {
			s.logger.Warn("reload comment settings", "err", err)
		}
	}
	s.dict.Invalidate()
	// Open story pages fetch anything they may have missed.
	s.live.PublishAll()
	// Articles may have been scheduled meanwhile (an import, another
	// server): the scheduler looks again for the next due second.
	if e := s.Editorial(); e != nil {
		e.Rearm()
	}
}
