package demo

import (
	"hash/fnv"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"

	"byline/internal/news"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// sectionColours gives each top section a hue so the placeholders read
// as a set.
var sectionColours = map[string][2]color.RGBA{
	"national": {{20, 52, 102, 255}, {64, 116, 178, 255}},
	"business": {{18, 84, 72, 255}, {66, 150, 120, 255}},
	"culture":  {{98, 34, 84, 255}, {188, 90, 130, 255}},
	"opinion":  {{70, 70, 78, 255}, {150, 150, 160, 255}},
	"sports":   {{138, 58, 16, 255}, {214, 128, 48, 255}},
}

const imgW, imgH = 1200, 800

// writeImage draws a placeholder photograph: a gradient in the section's
// colours, soft shapes placed by the slug, and the description of the
// photo it stands for, so a reader of the demo knows what would be there.
func writeImage(mediaDir, slug, desc, sectionPath string) (*news.Image, error) {
	dir, err := imageDir(mediaDir)
	if err != nil {
		return nil, err
	}
	top := strings.SplitN(sectionPath, "/", 2)[0]
	cols, ok := sectionColours[top]
	if !ok {
		cols = sectionColours["opinion"]
	}
	img := image.NewRGBA(image.Rect(0, 0, imgW, imgH))
	for y := 0; y < imgH; y++ {
		t := float64(y) / imgH
		c := color.RGBA{lerp(cols[0].R, cols[1].R, t), lerp(cols[0].G, cols[1].G, t), lerp(cols[0].B, cols[1].B, t), 255}
		draw.Draw(img, image.Rect(0, y, imgW, y+1), &image.Uniform{c}, image.Point{}, draw.Src)
	}
	h := fnv.New64a()
	h.Write([]byte(slug))
	seed := h.Sum64()
	for i := 0; i < 7; i++ {
		seed = seed*6364136223846793005 + 1442695040888963407
		cx, cy, r := int(seed>>20)%imgW, int(seed>>36)%imgH, 60+int(seed>>50)%220
		disc(img, cx, cy, r, color.RGBA{255, 255, 255, 28})
	}
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 34, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	d := &font.Drawer{Dst: img, Src: image.White, Face: face}
	lines := wrap(d, "Photo: "+desc, imgW-160)
	y := imgH/2 - len(lines)*46/2 + 34
	for _, line := range lines {
		d.Dot = fixed.Point26_6{X: fixed.I(80), Y: fixed.I(y)}
		d.DrawString(line)
		y += 46
	}
	name := slug + ".jpg"
	out, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	defer out.Close()
	if err := jpeg.Encode(out, img, &jpeg.Options{Quality: 78}); err != nil {
		return nil, err
	}
	return &news.Image{URL: "/media/demo/" + name, Alt: desc, Width: imgW, Height: imgH}, out.Close()
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

func wrap(d *font.Drawer, text string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(text) {
		try := strings.TrimSpace(cur + " " + w)
		if d.MeasureString(try).Ceil() > width && cur != "" {
			lines = append(lines, cur)
			cur = w
		} else {
			cur = try
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) > 8 {
		lines = append(lines[:7], lines[7]+"…")
	}
	return lines
}
