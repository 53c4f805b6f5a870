package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

// withOrientation inserts an EXIF APP1 segment with the Orientation tag
// after the JPEG's SOI marker.
func withOrientation(jpg []byte, o uint16, order binary.ByteOrder) []byte {
	var tiff bytes.Buffer
	if order == binary.LittleEndian {
		tiff.WriteString("II*\x00")
	} else {
		tiff.WriteString("MM\x00*")
	}
	binary.Write(&tiff, order, uint32(8))
	binary.Write(&tiff, order, uint16(1))           // one entry
	binary.Write(&tiff, order, []uint16{0x0112, 3}) // Orientation, SHORT
	binary.Write(&tiff, order, uint32(1))           // count
	binary.Write(&tiff, order, []uint16{o, 0})      // value, padding
	binary.Write(&tiff, order, uint32(0))           // no next IFD
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(jpg[2:])
	return out.Bytes()
}

func TestJPEGOrientation(t *testing.T) {
	// 400×200 as stored: left half red, right half blue.
	img := image.NewRGBA(image.Rect(0, 0, 400, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 400; x++ {
			c := color.RGBA{255, 0, 0, 255}
			if x >= 200 {
				c = color.RGBA{0, 0, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	plain := buf.Bytes()
	if got := jpegOrientation(plain); got != 1 {
		t.Errorf("no EXIF: orientation %d", got)
	}
	if got := jpegOrientation(withOrientation(plain, 8, binary.LittleEndian)); got != 8 {
		t.Errorf("little-endian EXIF: orientation %d, want 8", got)
	}
	if got := jpegOrientation(withOrientation(plain, 99, binary.BigEndian)); got != 1 {
		t.Errorf("bad value: orientation %d, want 1", got)
	}
	if got := jpegOrientation([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}); got != 1 {
		t.Errorf("truncated: orientation %d, want 1", got)
	}

	dir := t.TempDir()
	st, err := sqlitestore.Open(context.Background(), filepath.Join(dir, "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lib := New(st, Disk{Root: dir})
	lib.Widths = []int{100}
	m, err := lib.Upload(context.Background(), withOrientation(plain, 6, binary.BigEndian), news.Media{Alt: "turned"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 200 || m.Height != 400 {
		t.Errorf("size %d×%d, want 200×400 as shown", m.Width, m.Height)
	}
	if len(m.Renditions) != 1 || m.Renditions[0].Width != 100 || m.Renditions[0].Height != 200 {
		t.Fatalf("renditions %+v, want one of 100×200", m.Renditions)
	}
	f, err := os.Open(filepath.Join(dir, m.Renditions[0].Path))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Turned 90° clockwise, the red left half is on top.
	top, bottom := r.At(50, 20), r.At(50, 180)
	if tr, _, tb, _ := top.RGBA(); tr < 0xc000 || tb > 0x4000 {
		t.Errorf("top is %v, want red", top)
	}
	if br, _, bb, _ := bottom.RGBA(); bb < 0xc000 || br > 0x4000 {
		t.Errorf("bottom is %v, want blue", bottom)
	}
}
