package cli_test

import (
	"strings"
	"testing"
)

func TestImportWordPress(t *testing.T) {
	dir := t.TempDir()
	file := "../wpimport/testdata/export.xml"
	dry := run(t, nil, "import", "wordpress", file, "--data", dir, "--dry-run")
	if dry.code != 0 || !strings.Contains(dry.stdout, "would import") || !strings.Contains(dry.stdout, "3 posts") {
		t.Fatalf("dry run: %d %q %q", dry.code, dry.stdout, dry.stderr)
	}
	first := run(t, nil, "import", "wordpress", "--data", dir, "--pages", file)
	if first.code != 0 || !strings.Contains(first.stdout, "3 posts and 1 pages imported") || !strings.Contains(first.stdout, "search index tidied") {
		t.Fatalf("import: %d %q %q", first.code, first.stdout, first.stderr)
	}
	again := run(t, nil, "import", "wordpress", file, "--data", dir, "--pages")
	if again.code != 0 || !strings.Contains(again.stdout, "0 posts and 0 pages imported") || !strings.Contains(again.stdout, "4 already imported") || strings.Contains(again.stdout, "tidied") {
		t.Fatalf("re-run: %d %q %q", again.code, again.stdout, again.stderr)
	}
}

func TestImportRefusals(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"import"}, "name what to import"},
		{[]string{"import", "joomla", "x.xml"}, "unknown import source"},
		{[]string{"import", "wordpress", "--dry-run"}, "name the WordPress export file"},
		{[]string{"import", "wordpress", "/nonexistent/export.xml", "--data", dir}, "no such file"},
		{[]string{"import", "wordpress", "../wpimport/testdata/billion-laughs.xml", "--data", dir}, "line 13: the file declares a DOCTYPE"},
		{[]string{"import", "wordpress", "../wpimport/testdata/truncated.xml", "--data", dir}, "truncated export"},
		{[]string{"import", "wordpress", "../wpimport/testdata/export.xml", "--data", dir, "--author-default", "nobody"}, "--author-default nobody"},
	}
	for _, tc := range tests {
		r := run(t, nil, tc.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("byline %s: exit %d, stderr %q; want failure with %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.want)
		}
	}
}
