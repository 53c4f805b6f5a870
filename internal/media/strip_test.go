package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"

	"byline/internal/news"
)

// gps-exif.jpg is a 64×48 JPEG made for these tests: EXIF with a camera
// make, Orientation 6 and a GPS position, an XMP block with the same
// position, a (fake) ICC profile and a comment.
func gpsJPEG(t testing.TB) []byte {
	b, err := os.ReadFile("testdata/gps-exif.jpg")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// PrivateMetadata names what in an image file would give away more than
// the picture: EXIF tags other than Orientation (GPS among them), XMP,
// comments and text chunks. Empty means the file is clean.
func PrivateMetadata(b []byte) []string {
	var found []string
	for _, s := range []string{"GPS", "xmpmeta", "SpyCam", "photographer", "Author", "eXIf"} {
		if bytes.Contains(b, []byte(s)) {
			found = append(found, s)
		}
	}
	for _, tag := range jpegEXIFTags(b) {
		if tag != 0x0112 {
			found = append(found, fmt.Sprintf("EXIF tag %#x", tag))
		}
	}
	return found
}

func jpegEXIFTags(b []byte) []uint16 {
	var tags []uint16
	i := 2
	for i+4 <= len(b) && b[i] == 0xFF && b[i+1] != 0xDA {
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		seg := b[i+4 : i+2+n]
		if b[i+1] == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			t := seg[6:]
			bo := binary.ByteOrder(binary.BigEndian)
			if string(t[:2]) == "II" {
				bo = binary.LittleEndian
			}
			off := int(bo.Uint32(t[4:]))
			for k := 0; k < int(bo.Uint16(t[off:])); k++ {
				tags = append(tags, bo.Uint16(t[off+2+12*k:]))
			}
		}
		i += 2 + n
	}
	return tags
}

func samePixels(t *testing.T, a, b []byte) {
	t.Helper()
	ia, _, err := image.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatalf("decode original: %v", err)
	}
	ib, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode stripped: %v", err)
	}
	if ia.Bounds() != ib.Bounds() {
		t.Fatalf("bounds %v, want %v", ib.Bounds(), ia.Bounds())
	}
	for y := ia.Bounds().Min.Y; y < ia.Bounds().Max.Y; y++ {
		for x := ia.Bounds().Min.X; x < ia.Bounds().Max.X; x++ {
			if ia.At(x, y) != ib.At(x, y) {
				t.Fatalf("pixel (%d,%d) changed: %v -> %v", x, y, ia.At(x, y), ib.At(x, y))
			}
		}
	}
}

func TestStripJPEG(t *testing.T) {
	in := gpsJPEG(t)
	if got := PrivateMetadata(in); len(got) == 0 {
		t.Fatal("the fixture has no private metadata: the test would prove nothing")
	}
	out := StripMetadata("jpeg", in)
	if got := PrivateMetadata(out); len(got) != 0 {
		t.Errorf("stripped JPEG still holds %v", got)
	}
	if o := jpegOrientation(out); o != 6 {
		t.Errorf("orientation %d after stripping, want 6 (kept)", o)
	}
	if tags := jpegEXIFTags(out); len(tags) != 1 || tags[0] != 0x0112 {
		t.Errorf("EXIF tags %x, want only Orientation", tags)
	}
	if !bytes.Contains(out, []byte("ICC_PROFILE")) {
		t.Error("the colour profile was dropped")
	}
	samePixels(t, in, out)
	if again := StripMetadata("jpeg", out); !bytes.Equal(again, out) {
		t.Error("stripping twice changes the file again")
	}
	// Without an orientation nothing EXIF is written back.
	plain := encodeJPEG(t, 20, 10)
	if got := StripMetadata("jpeg", plain); !bytes.Equal(got, plain) {
		t.Error("a JPEG with no metadata changed")
	}
	// Truncated or damaged input comes back as it was, without a panic.
	for n := 0; n < len(in); n += 37 {
		StripMetadata("jpeg", in[:n])
	}
}

func testPNGChunk(typ string, data []byte) []byte {
	c := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(c, uint32(len(data)))
	copy(c[4:], typ)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

func TestStripPNG(t *testing.T) {
	clean := encodePNG(t, 12, 8, true)
	// Text and EXIF chunks go in after IHDR (8 + 25 bytes).
	var in []byte
	in = append(in, clean[:33]...)
	in = append(in, testPNGChunk("tEXt", []byte("Author\x00A photographer"))...)
	in = append(in, testPNGChunk("eXIf", []byte("MM\x00*GPS"))...)
	in = append(in, testPNGChunk("gAMA", []byte{0, 0, 0xb1, 0x8f})...)
	in = append(in, clean[33:]...)
	if _, err := png.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	out := StripMetadata("png", in)
	if got := PrivateMetadata(out); len(got) != 0 {
		t.Errorf("stripped PNG still holds %v", got)
	}
	if !bytes.Contains(out, []byte("gAMA")) {
		t.Error("gamma chunk (part of the picture) was dropped")
	}
	samePixels(t, in, out)
}

func TestStripWebP(t *testing.T) {
	simple, err := os.ReadFile("testdata/large-lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(simple))
	if err != nil {
		t.Fatal(err)
	}
	// The extended format: VP8X with the EXIF and XMP flags, the image,
	// then EXIF and XMP chunks.
	chunk := func(typ string, data []byte) []byte {
		c := append([]byte(typ), 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(c[4:], uint32(len(data)))
		c = append(c, data...)
		if len(data)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 | 0x04
	w, h := cfg.Width-1, cfg.Height-1
	vp8x[4], vp8x[5], vp8x[6] = byte(w), byte(w>>8), byte(w>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(h), byte(h>>8), byte(h>>16)
	body := append([]byte("WEBP"), chunk("VP8X", vp8x)...)
	body = append(body, simple[12:]...)
	body = append(body, chunk("EXIF", []byte("MM\x00*GPS position"))...)
	body = append(body, chunk("XMP ", []byte("<x:xmpmeta/>"))...)
	in := append([]byte("RIFF\x00\x00\x00\x00"), body...)
	binary.LittleEndian.PutUint32(in[4:], uint32(len(in)-8))

	out := StripMetadata("webp", in)
	if got := PrivateMetadata(out); len(got) != 0 {
		t.Errorf("stripped WebP still holds %v", got)
	}
	if bytes.Contains(out, []byte("EXIF")) {
		t.Error("EXIF chunk kept")
	}
	if int(binary.LittleEndian.Uint32(out[4:])) != len(out)-8 {
		t.Errorf("RIFF size %d, want %d", binary.LittleEndian.Uint32(out[4:]), len(out)-8)
	}
	if out[20]&0x0C != 0 {
		t.Errorf("VP8X still flags EXIF/XMP: %08b", out[20])
	}
	samePixels(t, in, out)
}

func TestStripGIF(t *testing.T) {
	var buf bytes.Buffer
	img := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.RGBA{255, 0, 0, 255}})
	img.Pix[5] = 1
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	clean := buf.Bytes()
	// A comment extension before the image descriptor (after the header,
	// screen descriptor and 2-colour global table: 13 + 6 bytes).
	comment := append([]byte{0x21, 0xFE, 20}, []byte("the photographer's..")...)
	comment = append(comment, 0)
	in := append(append(append([]byte{}, clean[:19]...), comment...), clean[19:]...)
	out := StripMetadata("gif", in)
	if bytes.Contains(out, []byte("photographer")) {
		t.Error("GIF comment kept")
	}
	if !bytes.Equal(out, clean) {
		t.Errorf("stripped GIF is not the clean one:\n got %x\nwant %x", out, clean)
	}
	samePixels(t, in, out)
}

// Uploads store and serve originals without the metadata, and the library
// keeps the orientation readers see.
func TestUploadStripsLocation(t *testing.T) {
	f := newFixture(t)
	in := gpsJPEG(t)
	m, err := f.lib.Upload(context.Background(), in, news.Media{Alt: "A street at dusk"})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := os.ReadFile(filepath.Join(f.root, filepath.FromSlash(m.Path)))
	if err != nil {
		t.Fatal(err)
	}
	if got := PrivateMetadata(stored); len(got) != 0 {
		t.Errorf("stored original holds %v", got)
	}
	if m.Bytes != int64(len(stored)) {
		t.Errorf("recorded size %d, stored %d", m.Bytes, len(stored))
	}
	if m.Width != 48 || m.Height != 64 {
		t.Errorf("size as seen %dx%d, want 48x64 (turned by the kept orientation)", m.Width, m.Height)
	}
	rc, err := f.lib.Files.Open(context.Background(), m.Path)
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(rc)
	rc.Close()
	if got := PrivateMetadata(served); len(got) != 0 {
		t.Errorf("served original holds %v", got)
	}
}

// Originals stored before stripping existed are cleaned once, at most
// one copy missing at any time, and a second run finds nothing to do.
func TestStripStored(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := gpsJPEG(t)
	// Stored as an older Byline did: the file as uploaded.
	old := news.Media{Path: "2025/01/old.jpg", MIME: "image/jpeg", Width: 48, Height: 64, Bytes: int64(len(in)), Alt: "Old photo"}
	if err := f.lib.Files.Put(ctx, old.Path, bytes.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if err := f.store.CreateMedia(ctx, &old); err != nil {
		t.Fatal(err)
	}
	// An interrupted earlier run: the original gone, its clean copy kept.
	half := news.Media{Path: "2025/01/half.jpg", MIME: "image/jpeg", Width: 48, Height: 64, Alt: "Half done"}
	if err := f.lib.Files.Put(ctx, half.Path+".clean", bytes.NewReader(StripMetadata("jpeg", in))); err != nil {
		t.Fatal(err)
	}
	if err := f.store.CreateMedia(ctx, &half); err != nil {
		t.Fatal(err)
	}
	// A record whose file is missing is skipped, not an error.
	gone := news.Media{Path: "2025/01/gone.jpg", MIME: "image/jpeg", Width: 1, Height: 1, Alt: "Gone"}
	if err := f.store.CreateMedia(ctx, &gone); err != nil {
		t.Fatal(err)
	}
	n, err := f.lib.StripStored(ctx)
	if err != nil || n != 2 {
		t.Fatalf("StripStored = %d, %v; want 2 files changed", n, err)
	}
	for _, p := range []string{old.Path, half.Path} {
		b, err := os.ReadFile(filepath.Join(f.root, p))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if got := PrivateMetadata(b); len(got) != 0 {
			t.Errorf("%s still holds %v", p, got)
		}
		if _, err := os.Stat(filepath.Join(f.root, p+".clean")); !os.IsNotExist(err) {
			t.Errorf("%s: the spare copy was left behind", p)
		}
	}
	// The marker makes the next start skip the scan.
	if err := f.lib.Files.Put(ctx, "2025/01/later.jpg", bytes.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	later := news.Media{Path: "2025/01/later.jpg", MIME: "image/jpeg", Width: 48, Height: 64, Alt: "Later"}
	f.store.CreateMedia(ctx, &later)
	if n, err := f.lib.StripStored(ctx); err != nil || n != 0 {
		t.Errorf("second run = %d, %v; want nothing done", n, err)
	}
}
