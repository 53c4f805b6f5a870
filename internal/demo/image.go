package demo

import (
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"byline/internal/news"

	xdraw "golang.org/x/image/draw"
)

// sectionColours gives each top section a dark and a light colour from the
// paper's palette, so the illustrations read as a set.
var sectionColours = map[string][2]color.RGBA{
	"national": {{20, 52, 102, 255}, {64, 116, 178, 255}},
	"business": {{18, 84, 72, 255}, {66, 150, 120, 255}},
	"culture":  {{98, 34, 84, 255}, {188, 90, 130, 255}},
	"opinion":  {{70, 70, 78, 255}, {150, 150, 160, 255}},
	"sports":   {{138, 58, 16, 255}, {214, 128, 48, 255}},
}

const imgW, imgH = 1200, 800

// renditionWidths are the smaller copies written next to each demo image
// for srcset (the original is the widest candidate).
var renditionWidths = []int{400, 800}

// writeImage draws an illustration for an article: a sky in the section's
// colours, a sun, and three layers of hills whose shapes come from the
// slug, with no text in the pixels (a thumbnail stays a picture). It
// writes the 1200x800 original and renditions for srcset, and returns the
// media library's record of it (not yet stored), credited as an
// illustration, with alt text saying what is drawn.
func writeImage(mediaDir, slug, sectionPath string) (news.Media, error) {
	dir, err := imageDir(mediaDir)
	if err != nil {
		return news.Media{}, err
	}
	top := strings.SplitN(sectionPath, "/", 2)[0]
	cols, ok := sectionColours[top]
	if !ok {
		cols = sectionColours["opinion"]
	}
	img := image.NewRGBA(image.Rect(0, 0, imgW, imgH))
	// Sky: from the light colour at the top to a paler one at the horizon.
	pale := color.RGBA{lerp(cols[1].R, 255, 0.55), lerp(cols[1].G, 255, 0.55), lerp(cols[1].B, 255, 0.55), 255}
	for y := 0; y < imgH; y++ {
		t := float64(y) / imgH
		c := color.RGBA{lerp(cols[1].R, pale.R, t), lerp(cols[1].G, pale.G, t), lerp(cols[1].B, pale.B, t), 255}
		draw.Draw(img, image.Rect(0, y, imgW, y+1), &image.Uniform{c}, image.Point{}, draw.Src)
	}
	h := fnv.New64a()
	h.Write([]byte(slug))
	seed := h.Sum64()
	next := func() uint64 { seed = seed*6364136223846793005 + 1442695040888963407; return seed >> 16 }
	// The sun, and two faint halos around it.
	sx, sy := 150+int(next()%900), 120+int(next()%180)
	disc(img, sx, sy, 150, color.RGBA{255, 255, 255, 30})
	disc(img, sx, sy, 105, color.RGBA{255, 255, 255, 40})
	disc(img, sx, sy, 70, color.RGBA{255, 244, 214, 230})
	// Hills: far ones pale, near ones in the section's dark colour.
	for layer := 0; layer < 3; layer++ {
		t := float64(layer+1) / 3
		c := color.RGBA{lerp(pale.R, cols[0].R, t), lerp(pale.G, cols[0].G, t), lerp(pale.B, cols[0].B, t), 255}
		base := float64(imgH) * (0.48 + 0.14*float64(layer))
		a1, a2 := 30+float64(next()%60), 10+float64(next()%30)
		f1, f2 := 0.002+float64(next()%40)/10000, 0.006+float64(next()%60)/10000
		p1, p2 := float64(next()%628)/100, float64(next()%628)/100
		for x := 0; x < imgW; x++ {
			top := int(base + a1*math.Sin(float64(x)*f1+p1) + a2*math.Sin(float64(x)*f2+p2))
			draw.Draw(img, image.Rect(x, max(0, top), x+1, imgH), &image.Uniform{c}, image.Point{}, draw.Src)
		}
	}
	size, err := writeJPEG(filepath.Join(dir, slug+".jpg"), img)
	if err != nil {
		return news.Media{}, err
	}
	name := top
	if name == "" {
		name = "news"
	}
	m := news.Media{Path: "demo/" + slug + ".jpg", MIME: "image/jpeg", Width: imgW, Height: imgH, Bytes: size,
		Alt:    "Illustration: a sun over hills in the " + name + " section's colours",
		Credit: "Illustration: Byline demo", Renditions: []news.Rendition{}}
	for _, w := range renditionWidths {
		hh := imgH * w / imgW
		small := image.NewRGBA(image.Rect(0, 0, w, hh))
		xdraw.CatmullRom.Scale(small, small.Bounds(), img, img.Bounds(), xdraw.Src, nil)
		file := fmt.Sprintf("%s-%d.jpg", slug, w)
		size, err := writeJPEG(filepath.Join(dir, file), small)
		if err != nil {
			return news.Media{}, err
		}
		m.Renditions = append(m.Renditions, news.Rendition{Path: "demo/" + file, Width: w, Height: hh, Bytes: size})
	}
	return m, nil
}

// writeJPEG writes img and returns the file's size.
func writeJPEG(path string, img image.Image) (int64, error) {
	out, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	cw := &countWriter{w: out}
	if err := jpeg.Encode(cw, img, &jpeg.Options{Quality: 72}); err != nil {
		return 0, err
	}
	return cw.n, out.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func lerp(a, b uint8, t float64) uint8 { return uint8(float64(a) + (float64(b)-float64(a))*t) }

func disc(img *image.RGBA, cx, cy, r int, c color.RGBA) {
	for y := max(0, cy-r); y < min(imgH, cy+r); y++ {
		for x := max(0, cx-r); x < min(imgW, cx+r); x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				o := img.RGBAAt(x, y)
				a := float64(c.A) / 255
				img.SetRGBA(x, y, color.RGBA{uint8(float64(o.R)*(1-a) + float64(c.R)*a), uint8(float64(o.G)*(1-a) + float64(c.G)*a), uint8(float64(o.B)*(1-a) + float64(c.B)*a), 255})
			}
		}
	}
}
