package media

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"byline/internal/respond"
)

// FuzzReadUpload: whatever multipart body a client sends, reading the
// upload either fails with a client error (4xx, never 500) or yields one
// file within the size limit and text fields of at most 8 KiB each.
//
//	go test ./internal/media/ -run '^$' -fuzz FuzzReadUpload -fuzztime 30s
func FuzzReadUpload(f *testing.F) {
	ok := "--B\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nA cat\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n--B--\r\n"
	f.Add("B", []byte(ok))
	f.Add("B", []byte("--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc"))                                                                             // cut off
	f.Add("B", []byte("--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n1\r\n--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n2\r\n--B--\r\n")) // two files
	f.Add("", []byte("not multipart"))
	f.Add("B\"; x=\"", []byte("--B\r\n\r\n--B--"))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		h := &Handlers{Lib: &Library{Limits: Limits{MaxBytes: 4 << 10, MaxPixels: 1 << 20, MaxSide: 1024}}}
		r := httptest.NewRequest("POST", "/api/v1/admin/media", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		w := httptest.NewRecorder()
		data, meta, err := h.readUpload(w, r)
		if err != nil {
			if s := respond.StatusOf(err); s < 400 || s >= 500 {
				t.Errorf("upload error %v answers %d, want a 4xx", err, s)
			}
			return
		}
		if data == nil || int64(len(data)) > h.Lib.Limits.MaxBytes {
			t.Errorf("accepted a file of %d bytes (limit %d)", len(data), h.Lib.Limits.MaxBytes)
		}
		for _, v := range []string{meta.Alt, meta.Caption, meta.Credit} {
			if len(v) > 8<<10 {
				t.Errorf("accepted a text field of %d bytes", len(v))
			}
		}
	})
}
