package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"byline/internal/store/sqlitestore"
)

func fixture(parts ...string) string {
	return filepath.Join(append([]string{"..", "dictionary", "testdata"}, parts...)...)
}

func TestDictImportListRemove(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + dir
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"dict", "import", fixture("en-ko.tsv"), data}, `as dictionary "en-ko"`},
		{[]string{"dict", "import", fixture("stardict", "en-ko.ifo"), data, "--name", "stardict-ko"}, `(stardict) as dictionary "stardict-ko"`},
		{[]string{"dict", "import", fixture("stardict", "en-ko-dz.ifo"), data, "--name", "stardict-dz"}, `as dictionary "stardict-dz"`},
		{[]string{"dict", "import", fixture("dictd", "en-ko.index"), data, "--name", "dictd-ko", "--format", "dictd"}, `(dictd) as dictionary "dictd-ko"`},
	} {
		r := runIn(t, "", tc.args...)
		if r.code != 0 || !strings.Contains(r.stdout, tc.want) {
			t.Fatalf("%v: code %d, stdout %q, stderr %q; want %q", tc.args, r.code, r.stdout, r.stderr, tc.want)
		}
	}
	r := runIn(t, "", "dict", "list", data)
	for _, name := range []string{"en-ko", "stardict-ko", "stardict-dz", "dictd-ko"} {
		if r.code != 0 || !strings.Contains(r.stdout, name) {
			t.Errorf("dict list: code %d, stdout %q, want %s", r.code, r.stdout, name)
		}
	}
	// Importing again under the same name replaces, it does not add.
	tsv := filepath.Join(t.TempDir(), "small.tsv")
	if err := os.WriteFile(tsv, []byte("stall\t멈추다\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runIn(t, "", "dict", "import", tsv, data, "--name", "en-ko"); r.code != 0 || !strings.Contains(r.stdout, "imported 1 entries") {
		t.Fatalf("re-import: %+v", r)
	}
	st, err := sqlitestore.Open(context.Background(), filepath.Join(dir, "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.BilingualLookup(context.Background(), []string{"stall", "apple"}, 10)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var fromTSV []string
	for _, e := range got {
		if e.Dictionary == "en-ko" {
			fromTSV = append(fromTSV, e.Translation)
		}
	}
	if strings.Join(fromTSV, ",") != "멈추다" {
		t.Errorf("en-ko after replace = %v, want only 멈추다", fromTSV)
	}
	if r := runIn(t, "", "dict", "remove", "stardict-dz", data); r.code != 0 || !strings.Contains(r.stdout, "removed") {
		t.Errorf("dict remove: %+v", r)
	}
	if r := runIn(t, "", "dict", "remove", "stardict-dz", data); r.code == 0 || !strings.Contains(r.stderr, "not found") {
		t.Errorf("dict remove again: %+v", r)
	}
}

func TestDictImportRefusesHostileFiles(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + dir
	files := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	binary := write("binary.tsv", "\x00\x01\x02\xff\xfe garbage\tjunk\n")
	empty := write("empty.tsv", "# nothing\n\n")
	noTab := write("notab.tsv", "headword without a translation\n")
	ifoOnly := write("lonely.ifo", "StarDict's dict ifo file\nversion=2.4.2\nwordcount=1\nidxfilesize=10\nbookname=x\n")
	badIfo := write("bad.ifo", "not a stardict file at all\n")
	write("bad.idx", "x")
	write("bad.dict", "x")
	badIndex := write("bad.index", "word\t!!!!\t@@@@\n")
	write("bad.dict.dz", "not gzip")
	unknown := write("words.csv", "a,b\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"dict", "import", binary, data}, ""},
		{[]string{"dict", "import", empty, data}, "no entries"},
		{[]string{"dict", "import", noTab, data}, ""},
		{[]string{"dict", "import", ifoOnly, data}, ""},
		{[]string{"dict", "import", badIfo, data}, ""},
		{[]string{"dict", "import", badIndex, data}, ""},
		{[]string{"dict", "import", unknown, data}, "--format"},
		{[]string{"dict", "import", unknown, data, "--format", "xml"}, "unknown --format"},
		{[]string{"dict", "import", filepath.Join(files, "missing.tsv"), data}, "cannot read"},
		{[]string{"dict", "import", files, data}, "not a regular file"},
		{[]string{"dict", "import", fixture("en-ko.tsv"), data, "--name", "../../etc"}, "dictionary name"},
		{[]string{"dict", "import", fixture("en-ko.tsv"), data, "--format", "stardict"}, ".ifo"},
		{[]string{"dict", "import", data}, "usage"},
		{[]string{"dict", "frobnicate", data}, "unknown subcommand"},
		{[]string{"dict"}, "usage"},
	} {
		r := runIn(t, "", tc.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: code %d, stderr %q, want failure mentioning %q", tc.args[2:], r.code, r.stderr, tc.want)
		}
		if strings.Contains(r.stderr, "panic") {
			t.Errorf("%v: panic: %s", tc.args, r.stderr)
		}
	}
	if r := runIn(t, "", "dict", "list", data); r.code != 0 || !strings.Contains(r.stdout, "no bilingual dictionaries") {
		t.Errorf("after refusals: %+v", r)
	}
}
