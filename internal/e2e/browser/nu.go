package browser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// nuJar is the Nu HTML Checker from npm (npm ci --prefix tools), or
// $BYLINE_VNU_JAR.
func nuJar() string {
	if p := os.Getenv("BYLINE_VNU_JAR"); p != "" {
		return p
	}
	return filepath.Join(moduleRoot(), "tools", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
}

// RequireNu skips the test (fails it in CI) when the Nu HTML Checker
// cannot run: java and vnu.jar. A test calls it before building the pages
// it will check.
func RequireNu(t testing.TB) (java, jar string) {
	t.Helper()
	java, err := exec.LookPath("java")
	if err != nil {
		SkipOrFail(t, "java not found: the Nu HTML Checker needs it (apt-get install default-jre-headless)")
	}
	jar = nuJar()
	if _, err := os.Stat(jar); err != nil {
		SkipOrFail(t, fmt.Sprintf("vnu.jar not found at %s (run: npm ci --prefix tools, or set BYLINE_VNU_JAR)", jar))
	}
	return java, jar
}

// NuCheck runs the Nu HTML Checker (the W3C validator) on the HTML files:
// each error fails the test, naming the file (without .html), line and
// column; warnings are logged.
func NuCheck(t testing.TB, files []string) {
	t.Helper()
	java, jar := RequireNu(t)
	cmd := exec.Command(java, append([]string{"-Xss8m", "-jar", jar, "--format", "json", "--stdout"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output() // exits 1 when it finds errors
	var report struct {
		Messages []struct {
			Type     string `json:"type"` // error, info (a warning), non-document-error
			URL      string `json:"url"`
			LastLine int    `json:"lastLine"`
			FirstCol int    `json:"firstColumn"`
			Message  string `json:"message"`
			Extract  string `json:"extract"`
		} `json:"messages"`
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil {
		t.Fatalf("vnu: %v (%v)\nstdout: %s\nstderr: %s", jerr, err, out, stderr.String())
	}
	for _, m := range report.Messages {
		name := strings.TrimSuffix(filepath.Base(m.URL), ".html")
		line := fmt.Sprintf("%s:%d:%d: %s\n    %s", name, m.LastLine, m.FirstCol, m.Message, strings.Join(strings.Fields(m.Extract), " "))
		if m.Type == "info" {
			t.Logf("warning: %s", line)
			continue
		}
		t.Errorf("%s: %s", m.Type, line)
	}
}
