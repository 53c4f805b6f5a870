package api_test

import (
	"testing"
	"time"

	"byline/internal/api"
	"byline/internal/news"
)

// FuzzDecodeCursor: a cursor the decoder accepts names a real position
// (id > 0, time not before 1970) and encodes back to a cursor that
// decodes to the same position; cursors the encoder made always decode.
//
//	go test ./internal/api/ -run '^$' -fuzz FuzzDecodeCursor -fuzztime 30s
func FuzzDecodeCursor(f *testing.F) {
	f.Add(api.EncodeCursor(news.Cursor{PublishedAt: time.UnixMilli(1764720000000), ID: 42}), int64(0), int64(1))
	f.Add("", int64(1764720000000), int64(7))
	f.Add("MTIzLjQ1Ng", int64(-1), int64(0))
	f.Add("LTEuMQ", int64(9223372036854775807), int64(9223372036854775807))
	f.Add("!!!!", int64(1), int64(-5))
	f.Fuzz(func(t *testing.T, s string, ms, id int64) {
		if c, ok := api.DecodeCursor(s); ok {
			if c.ID <= 0 || c.PublishedAt.Before(time.Unix(0, 0)) {
				t.Errorf("DecodeCursor(%q) accepted %+v", s, c)
			}
			c2, ok := api.DecodeCursor(api.EncodeCursor(c))
			if !ok || c2.ID != c.ID || !c2.PublishedAt.Equal(c.PublishedAt) {
				t.Errorf("DecodeCursor(%q) = %+v, but its re-encoding decodes to %+v, %v", s, c, c2, ok)
			}
		}
		if ms < 0 || id <= 0 || ms > 1<<50 {
			return
		}
		c := news.Cursor{PublishedAt: time.UnixMilli(ms).UTC(), ID: id}
		got, ok := api.DecodeCursor(api.EncodeCursor(c))
		if !ok || got.ID != id || !got.PublishedAt.Equal(c.PublishedAt) {
			t.Errorf("cursor %+v encodes to %q, which decodes to %+v, %v", c, api.EncodeCursor(c), got, ok)
		}
	})
}
