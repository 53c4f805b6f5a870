package store

import (
	"testing"
	"time"
)

func TestNumberPlaceholders(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{`UPDATE t SET s = '?' || ? WHERE n = "a?b"`, `UPDATE t SET s = '?' || $1 WHERE n = "a?b"`},
		{`SELECT 1`, `SELECT 1`},
	} {
		if got := number(c.in); got != c.want {
			t.Errorf("number(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTimeScansEitherForm(t *testing.T) {
	want := time.Date(2026, 3, 1, 9, 30, 0, 123e6, time.UTC)
	for _, v := range []any{want.UnixMilli(), want.In(time.FixedZone("KST", 9*3600))} {
		var got time.Time
		if err := Time(&got).Scan(v); err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Scan(%v) = %v, %v; want %v in UTC", v, got, err, want)
		}
	}
	got := want
	if err := Time(&got).Scan(nil); err != nil || !got.IsZero() {
		t.Errorf("Scan(nil) = %v, %v; want the zero time", got, err)
	}
	if err := Time(&got).Scan("yesterday"); err == nil {
		t.Error("Scan(string) gave no error")
	}
}
