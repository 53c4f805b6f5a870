package server

import (
	"context"
	"time"
)

// Test hooks for the external test package.

func NewClockForTest(start time.Time) *clock { return &clock{last: start, lastCounts: start} }

func (s *Server) ClockTickForTest(ctx context.Context, c *clock, now time.Time) bool {
	return s.clockTick(ctx, c, now)
}

func (s *Server) SearchUpkeepForTest(ctx context.Context) bool { return s.searchUpkeep(ctx) }
