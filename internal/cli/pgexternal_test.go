package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// On PostgreSQL a command run beside a serving site (here `dict import`)
// shows within 2 s, without a restart. (The command also announces itself
// on the change channel; the dictionary would notice by its own version
// check too, so this test guards the behaviour on PostgreSQL rather than
// that path alone.)
func TestServerSeesDictImportOnPostgres(t *testing.T) {
	db := freshDatabase(t, "ext")
	base := serveInProcess(t, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--log-level", "warn", "--database", db}).url.String()
	lookup := func() (int, string) {
		t.Helper()
		res, err := http.Get(base + "/api/dictionary?word=apple")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		var a struct {
			Bilingual []struct {
				Translation string `json:"translation"`
			} `json:"bilingual"`
		}
		json.Unmarshal(data, &a)
		var got []string
		for _, b := range a.Bilingual {
			got = append(got, b.Translation)
		}
		return res.StatusCode, strings.Join(got, ",") + " " + string(data)
	}
	if status, got := lookup(); status != http.StatusOK || strings.Contains(got, "사과") {
		t.Fatalf("before the import: %d %.300s", status, got)
	}
	r := runIn(t, "", "dict", "import", fixture("en-ko.tsv"), "--database", db, "--data", t.TempDir())
	if r.code != 0 {
		t.Fatalf("dict import: %d %s %s", r.code, r.stdout, r.stderr)
	}
	imported := time.Now()
	for {
		status, got := lookup()
		if status == http.StatusOK && strings.Contains(got, "사과") {
			t.Logf("import visible after %v", time.Since(imported).Round(time.Millisecond))
			return
		}
		if time.Since(imported) > 2*time.Second {
			t.Fatalf("2 s after dict import the running server still answers %d %.300s", status, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
