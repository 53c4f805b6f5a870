package markup

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Embed is third-party content a newsroom places in a story: a video, a
// social post or a map. It is stored in the Markdown body as the plain
// URL (a paragraph holding only that URL) and rendered as a click-to-load
// placeholder, so no request reaches the provider until the reader asks.
//
// Every field is rebuilt from the identifiers parsed out of the editor's
// URL, never copied from it, so nothing the editor typed beyond an id
// reaches a link or a frame.
type Embed struct {
	Provider string // "youtube", "vimeo", "x", "instagram", "openstreetmap", "googlemaps"
	Name     string // the provider's name for people: "YouTube"
	Link     string // the canonical page on the provider's site (the no-script link)
	Frame    string // the privacy-friendly iframe URL loaded on click
	Action   string // the link's text: "Watch on YouTube"
	Title    string // the iframe's accessible title
	Shape    string // the reserved box: "wide" (16:9), "tall" (4:5), "map" (4:3)
}

// provider is one allowlisted embed source: the hosts it accepts in
// editors' URLs, the one host its frames come from, and how to read an
// id from a URL.
type provider struct {
	name      string
	hosts     []string
	frameHost string
	parse     func(u *url.URL) (Embed, bool)
}

var (
	youtubeID   = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	digits      = regexp.MustCompile(`^[0-9]{1,20}$`)
	xUser       = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)
	instaCode   = regexp.MustCompile(`^[A-Za-z0-9_-]{5,40}$`)
	googleMapPB = regexp.MustCompile(`^[A-Za-z0-9!._:%*-]+$`)
)

var providers = []provider{
	{name: "youtube", frameHost: "www.youtube-nocookie.com",
		hosts: []string{"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com", "youtube-nocookie.com"},
		parse: parseYouTube},
	{name: "vimeo", frameHost: "player.vimeo.com",
		hosts: []string{"vimeo.com", "www.vimeo.com", "player.vimeo.com"},
		parse: parseVimeo},
	{name: "x", frameHost: "platform.twitter.com",
		hosts: []string{"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com", "mobile.x.com"},
		parse: parseX},
	{name: "instagram", frameHost: "www.instagram.com",
		hosts: []string{"instagram.com", "www.instagram.com"},
		parse: parseInstagram},
	{name: "openstreetmap", frameHost: "www.openstreetmap.org",
		hosts: []string{"openstreetmap.org", "www.openstreetmap.org"},
		parse: parseOSM},
	{name: "googlemaps", frameHost: "www.google.com",
		hosts: []string{"www.google.com", "google.com", "maps.google.com"},
		parse: parseGoogleMaps},
}

// FrameHosts lists the hosts embed frames are loaded from, for the
// Content-Security-Policy's frame-src: exactly these and no others.
func FrameHosts() []string {
	out := make([]string, len(providers))
	for i, p := range providers {
		out[i] = "https://" + p.frameHost
	}
	return out
}

// ParseEmbed reads an allowlisted provider's URL. It refuses anything
// else: other schemes (javascript:, data:), other hosts (look-alikes such
// as youtube.com.evil.example included), user names, ports, and URLs
// whose ids are not in the provider's form.
func ParseEmbed(raw string) (Embed, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2048 || strings.ContainsAny(raw, " \t\r\n\"'<>\\`") {
		return Embed{}, false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || u.Port() != "" || u.Opaque != "" {
		return Embed{}, false
	}
	host := strings.ToLower(u.Hostname())
	for _, p := range providers {
		for _, h := range p.hosts {
			if host == h {
				e, ok := p.parse(u)
				if ok {
					e.Provider = p.name
				}
				return e, ok
			}
		}
	}
	return Embed{}, false
}

func pathParts(u *url.URL) []string {
	var out []string
	for _, s := range strings.Split(u.Path, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func parseYouTube(u *url.URL) (Embed, bool) {
	parts := pathParts(u)
	var id string
	switch {
	case strings.HasSuffix(strings.ToLower(u.Hostname()), "youtu.be") && len(parts) == 1:
		id = parts[0]
	case len(parts) == 1 && parts[0] == "watch":
		id = u.Query().Get("v")
	case len(parts) == 2 && (parts[0] == "embed" || parts[0] == "shorts" || parts[0] == "live" || parts[0] == "v"):
		id = parts[1]
	}
	if !youtubeID.MatchString(id) {
		return Embed{}, false
	}
	frame := "https://www.youtube-nocookie.com/embed/" + id
	link := "https://www.youtube.com/watch?v=" + id
	// A start time ("t=90", "t=1m30s", "start=90") survives; anything
	// else in the query does not.
	q := u.Query()
	if s := firstNonEmpty(q.Get("start"), q.Get("t")); s != "" {
		if sec, ok := seconds(s); ok && sec > 0 {
			frame += "?start=" + strconv.Itoa(sec)
			link += "&t=" + strconv.Itoa(sec) + "s"
		}
	}
	return Embed{Name: "YouTube", Link: link, Frame: frame, Action: "Watch on YouTube", Title: "YouTube video", Shape: "wide"}, true
}

// seconds reads "90", "90s" or "1h2m3s".
func seconds(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0 && n < 100000
	}
	m := regexp.MustCompile(`^(?:([0-9]{1,2})h)?(?:([0-9]{1,3})m)?(?:([0-9]{1,5})s)?$`).FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	se, _ := strconv.Atoi(m[3])
	return h*3600 + mi*60 + se, true
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func parseVimeo(u *url.URL) (Embed, bool) {
	parts := pathParts(u)
	var id string
	switch {
	case strings.EqualFold(u.Hostname(), "player.vimeo.com") && len(parts) == 2 && parts[0] == "video":
		id = parts[1]
	case !strings.EqualFold(u.Hostname(), "player.vimeo.com") && len(parts) == 1:
		id = parts[0]
	case !strings.EqualFold(u.Hostname(), "player.vimeo.com") && len(parts) == 3 && parts[0] == "channels" && parts[1] == "staffpicks":
		id = parts[2]
	}
	if !digits.MatchString(id) {
		return Embed{}, false
	}
	return Embed{Name: "Vimeo", Link: "https://vimeo.com/" + id, Frame: "https://player.vimeo.com/video/" + id + "?dnt=1",
		Action: "Watch on Vimeo", Title: "Vimeo video", Shape: "wide"}, true
}

func parseX(u *url.URL) (Embed, bool) {
	parts := pathParts(u)
	// /{user}/status/{id}[/photo/1], also /i/web/status/{id}
	var user, id string
	switch {
	case len(parts) >= 3 && (parts[1] == "status" || parts[1] == "statuses"):
		user, id = parts[0], parts[2]
	case len(parts) == 4 && parts[0] == "i" && parts[1] == "web" && parts[2] == "status":
		user, id = "i", parts[3]
	}
	if !digits.MatchString(id) || (user != "i" && !xUser.MatchString(user)) {
		return Embed{}, false
	}
	link := "https://x.com/" + user + "/status/" + id
	if user == "i" {
		link = "https://x.com/i/web/status/" + id
	}
	return Embed{Name: "X", Link: link, Frame: "https://platform.twitter.com/embed/Tweet.html?id=" + id + "&dnt=true",
		Action: "View the post on X", Title: "Post on X", Shape: "tall"}, true
}

func parseInstagram(u *url.URL) (Embed, bool) {
	parts := pathParts(u)
	// /p/{code}/, /reel/{code}/, /tv/{code}/, optionally /{user}/p/{code}/ and a trailing /embed
	if len(parts) >= 3 && parts[1] != "embed" && (parts[1] == "p" || parts[1] == "reel" || parts[1] == "tv") {
		parts = parts[1:]
	}
	if len(parts) < 2 || (parts[0] != "p" && parts[0] != "reel" && parts[0] != "tv") || !instaCode.MatchString(parts[1]) {
		return Embed{}, false
	}
	if len(parts) > 3 || (len(parts) == 3 && parts[2] != "embed" && parts[2] != "captioned") {
		return Embed{}, false
	}
	link := "https://www.instagram.com/" + parts[0] + "/" + parts[1] + "/"
	return Embed{Name: "Instagram", Link: link, Frame: link + "embed/",
		Action: "View on Instagram", Title: "Instagram post", Shape: "tall"}, true
}

// parseOSM accepts a map page ("…/#map=15/37.5665/126.9780", with or
// without ?mlat=&mlon= for a marker) and the site's embed URL
// ("…/export/embed.html?bbox=…&marker=…").
func parseOSM(u *url.URL) (Embed, bool) {
	q := u.Query()
	e := Embed{Name: "OpenStreetMap", Action: "View the map on OpenStreetMap", Title: "Map", Shape: "map"}
	switch strings.TrimSuffix(u.Path, "/") {
	case "/export/embed.html":
		bb := strings.Split(q.Get("bbox"), ",")
		if len(bb) != 4 {
			return Embed{}, false
		}
		var b [4]float64
		for i, s := range bb {
			f, ok := coord(s, 180)
			if !ok {
				return Embed{}, false
			}
			b[i] = f
		}
		if math.Abs(b[1]) > 90 || math.Abs(b[3]) > 90 || b[0] >= b[2] || b[1] >= b[3] {
			return Embed{}, false
		}
		lat, lon := (b[1]+b[3])/2, (b[0]+b[2])/2
		frame := fmt.Sprintf("https://www.openstreetmap.org/export/embed.html?bbox=%s,%s,%s,%s&layer=mapnik", ff(b[0]), ff(b[1]), ff(b[2]), ff(b[3]))
		zoom := int(math.Round(math.Log2(360 / (b[2] - b[0]))))
		zoom = max(1, min(19, zoom+1))
		link := fmt.Sprintf("https://www.openstreetmap.org/#map=%d/%s/%s", zoom, ff(lat), ff(lon))
		if m := strings.Split(q.Get("marker"), ","); len(m) == 2 {
			mlat, ok1 := coord(m[0], 90)
			mlon, ok2 := coord(m[1], 180)
			if !ok1 || !ok2 {
				return Embed{}, false
			}
			frame += "&marker=" + ff(mlat) + "," + ff(mlon)
			link = fmt.Sprintf("https://www.openstreetmap.org/?mlat=%s&mlon=%s#map=%d/%s/%s", ff(mlat), ff(mlon), zoom, ff(lat), ff(lon))
		}
		e.Frame, e.Link = frame, link
		return e, true
	case "":
		m := strings.Split(strings.TrimPrefix(u.Fragment, "map="), "/")
		if !strings.HasPrefix(u.Fragment, "map=") || len(m) != 3 {
			return Embed{}, false
		}
		z, err := strconv.Atoi(m[0])
		lat, ok1 := coord(m[1], 85)
		lon, ok2 := coord(m[2], 180)
		if err != nil || z < 1 || z > 19 || !ok1 || !ok2 {
			return Embed{}, false
		}
		// The frame (about 640 px wide) shows what the page showed at this zoom.
		half := 360 / math.Pow(2, float64(z)) * 640 / 256 / 2
		halfLat := half * math.Cos(lat*math.Pi/180) * 0.75
		frame := fmt.Sprintf("https://www.openstreetmap.org/export/embed.html?bbox=%s,%s,%s,%s&layer=mapnik",
			ff(lon-half), ff(math.Max(-85, lat-halfLat)), ff(lon+half), ff(math.Min(85, lat+halfLat)))
		link := fmt.Sprintf("https://www.openstreetmap.org/#map=%d/%s/%s", z, ff(lat), ff(lon))
		if q.Has("mlat") || q.Has("mlon") {
			mlat, ok1 := coord(q.Get("mlat"), 90)
			mlon, ok2 := coord(q.Get("mlon"), 180)
			if !ok1 || !ok2 {
				return Embed{}, false
			}
			frame += "&marker=" + ff(mlat) + "," + ff(mlon)
			link = fmt.Sprintf("https://www.openstreetmap.org/?mlat=%s&mlon=%s#map=%d/%s/%s", ff(mlat), ff(mlon), z, ff(lat), ff(lon))
		}
		e.Frame, e.Link = frame, link
		return e, true
	}
	return Embed{}, false
}

func coord(s string, limit float64) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > limit {
		return 0, false
	}
	return f, true
}

func ff(f float64) string { return strconv.FormatFloat(f, 'f', 5, 64) }

// parseGoogleMaps accepts only Google Maps embed URLs
// ("https://www.google.com/maps/embed?pb=…"), the form the Share → Embed
// a map dialog gives; the pb value is kept, checked to hold only the
// characters that form uses.
func parseGoogleMaps(u *url.URL) (Embed, bool) {
	if strings.TrimSuffix(u.Path, "/") != "/maps/embed" {
		return Embed{}, false
	}
	pb := u.Query().Get("pb")
	if !googleMapPB.MatchString(pb) {
		return Embed{}, false
	}
	frame := "https://www.google.com/maps/embed?pb=" + url.QueryEscape(pb)
	return Embed{Name: "Google Maps", Link: frame, Frame: frame, Action: "View the map on Google Maps", Title: "Map", Shape: "map"}, true
}

// frameURL matches the frame URLs ParseEmbed builds, and no others.
var frameURL = func() *regexp.Regexp {
	var hosts []string
	for _, p := range providers {
		hosts = append(hosts, regexp.QuoteMeta(p.frameHost))
	}
	return regexp.MustCompile(`^https://(?:` + strings.Join(hosts, "|") + `)/[^\s"'<>\\]*$`)
}()
