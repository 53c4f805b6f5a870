package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"testing"

	"byline/internal/auth"
	"byline/internal/news"
	"byline/internal/testutil"
)

// A photo uploaded with its camera's GPS position is stored and served
// without it (and without the rest of its EXIF/XMP), orientation kept.
func TestServedOriginalsHaveNoLocation(t *testing.T) {
	app := testutil.NewApp(t)
	u, _ := auth.CreateUser(context.Background(), app.Store, "photo@example.com", "Photo Desk", news.RoleContributor, pw)
	tok, _, err := auth.NewTokens(app.Store).Create(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	photo, err := os.ReadFile("../media/testdata/gps-exif.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(photo, []byte("GPS")) {
		t.Fatal("fixture has no GPS data: the test would prove nothing")
	}
	ct, body := uploadBody(t, "", photo, "A street at dusk")
	req, _ := http.NewRequest("POST", app.URL+"/api/v1/admin/media", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, b := app.Do(t, req)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.StatusCode, b)
	}
	var out struct {
		URL    string `json:"url"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
	}
	if err := json.Unmarshal(b, &out); err != nil || out.URL == "" {
		t.Fatalf("upload answer %s: %v", b, err)
	}
	if out.Width != 48 || out.Height != 64 {
		t.Errorf("size %dx%d, want 48x64 (the kept orientation turns it)", out.Width, out.Height)
	}
	get, err := http.Get(app.URL + out.URL)
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if get.StatusCode != 200 || len(served) == 0 {
		t.Fatalf("GET %s: %d", out.URL, get.StatusCode)
	}
	for _, leak := range []string{"GPS", "xmpmeta", "SpyCam", "photographer"} {
		if bytes.Contains(served, []byte(leak)) {
			t.Errorf("served original contains %q", leak)
		}
	}
}
