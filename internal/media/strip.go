package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"byline/internal/news"
)

// StripMetadata returns the image without the metadata a camera or an
// editing program leaves in it: EXIF (GPS position, camera serial number,
// owner's name, time taken), XMP, IPTC, comments and text chunks. A
// photographer's location must not be published with every original.
// What readers need is kept: the pixels untouched (no re-encoding), the
// colour profile (ICC), Adobe's colour-transform marker, and a JPEG's
// orientation, rewritten as a minimal EXIF block holding nothing else.
// Bytes it cannot parse are returned unchanged: Check has already
// decoded the header, and a damaged tail is the decoder's business.
func StripMetadata(format string, b []byte) []byte {
	switch format {
	case "jpeg":
		return stripJPEG(b)
	case "png":
		return stripPNG(b)
	case "webp":
		return stripWebP(b)
	case "gif":
		return stripGIF(b)
	}
	return b
}

func stripJPEG(b []byte) []byte {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return b
	}
	rot := jpegOrientation(b)
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, 0xD8)
	wroteExif := false
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return b
		}
		marker := b[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan: the rest is image data
			break
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return b
		}
		seg := b[i : i+2+n]
		keep := true
		switch {
		case marker == 0xE1, marker == 0xED, marker == 0xFE: // EXIF/XMP, Photoshop/IPTC, comment
			keep = false
		case marker >= 0xE3 && marker <= 0xEF && marker != 0xEE: // other vendors' blocks; APP14 (Adobe) stays
			keep = false
		}
		// The orientation goes right after JFIF (APP0), before the frame.
		if !wroteExif && rot != 1 && marker != 0xE0 {
			out = append(out, orientationEXIF(rot)...)
			wroteExif = true
		}
		if keep {
			out = append(out, seg...)
		}
		i += 2 + n
	}
	if i+2 > len(b) {
		return b
	}
	if !wroteExif && rot != 1 {
		out = append(out, orientationEXIF(rot)...)
	}
	return append(out, b[i:]...)
}

// orientationEXIF is an APP1 segment with one IFD entry: Orientation.
func orientationEXIF(o int) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian header, IFD0 at 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, // Orientation SHORT 1 = o
		0, 0, 0, 0} // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// PNG chunks that describe the picture are kept; text, time and EXIF go.
var pngDrop = map[string]bool{"eXIf": true, "tEXt": true, "zTXt": true, "iTXt": true, "tIME": true}

func stripPNG(b []byte) []byte {
	const sig = 8
	if len(b) < sig {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:sig]...)
	i := sig
	for i+12 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[i:]))
		if n < 0 || i+12+n > len(b) {
			return b
		}
		typ := string(b[i+4 : i+8])
		if !pngDrop[typ] {
			out = append(out, b[i:i+12+n]...)
		}
		i += 12 + n
		if typ == "IEND" {
			break
		}
	}
	return out
}

func stripWebP(b []byte) []byte {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:12]...)
	i := 12
	for i+8 <= len(b) {
		typ := string(b[i : i+4])
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		end := i + 8 + n + n&1 // chunks are padded to even length
		if n < 0 || end > len(b) {
			if i+8+n == len(b) { // an odd last chunk without its pad byte
				end = len(b)
			} else {
				return b
			}
		}
		switch typ {
		case "EXIF", "XMP ":
		case "VP8X":
			c := append([]byte(nil), b[i:end]...)
			if len(c) > 8 {
				c[8] &^= 0x08 | 0x04 // EXIF and XMP flags
			}
			out = append(out, c...)
		default:
			out = append(out, b[i:end]...)
		}
		i = end
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// stripGIF drops comment extensions and XMP application extensions; the
// NETSCAPE loop extension and every frame stay.
func stripGIF(b []byte) []byte {
	if len(b) < 13 {
		return b
	}
	i := 13
	if b[10]&0x80 != 0 {
		i += 3 << (int(b[10]&7) + 1)
	}
	if i > len(b) {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:i]...)
	// subBlocks returns the end of a chain of data sub-blocks starting at j.
	subBlocks := func(j int) int {
		for j < len(b) {
			n := int(b[j])
			j++
			if n == 0 {
				return j
			}
			j += n
		}
		return -1
	}
	for i < len(b) {
		switch b[i] {
		case 0x3B: // trailer
			return append(out, b[i:]...)
		case 0x21: // extension
			if i+2 > len(b) {
				return b
			}
			label := b[i+1]
			end := subBlocks(i + 2)
			if end < 0 {
				return b
			}
			drop := label == 0xFE || (label == 0xFF && i+14 <= len(b) && bytes.HasPrefix(b[i+3:], []byte("XMP DataXMP")))
			if !drop {
				out = append(out, b[i:end]...)
			}
			i = end
		case 0x2C: // image descriptor, optional local colour table, LZW data
			j := i + 10
			if j > len(b) {
				return b
			}
			if b[i+9]&0x80 != 0 {
				j += 3 << (int(b[i+9]&7) + 1)
			}
			j++ // LZW minimum code size
			end := subBlocks(j)
			if end < 0 {
				return b
			}
			out = append(out, b[i:end]...)
			i = end
		default:
			return b
		}
	}
	return out
}

// strippedMarker records in the storage that every original stored
// before metadata stripping existed has been cleaned, so the scan runs
// once per library (several servers may race to run it; cleaning twice
// is harmless).
const strippedMarker = ".metadata-stripped-v1"

// StripStored cleans the originals stored before uploads were stripped of
// metadata: each is rewritten without its EXIF/XMP/comments. It runs once
// per library (a marker file remembers) and returns how many files it
// changed. Renditions never carried metadata.
func (l *Library) StripStored(ctx context.Context) (changed int, err error) {
	if rc, err := l.Files.Open(ctx, strippedMarker); err == nil {
		rc.Close()
		return 0, nil
	}
	for page := 0; ; page++ {
		items, _, err := l.Store.ListMedia(ctx, news.MediaQuery{Limit: 100, Offset: page * 100})
		if err != nil {
			return changed, err
		}
		for _, m := range items {
			c, err := l.stripOne(ctx, m.Path)
			if err != nil {
				return changed, fmt.Errorf("strip metadata of %s: %w", m.Path, err)
			}
			if c {
				changed++
			}
		}
		if len(items) < 100 {
			break
		}
	}
	return changed, l.Files.Put(ctx, strippedMarker, strings.NewReader("originals stripped of metadata\n"))
}

func (l *Library) stripOne(ctx context.Context, name string) (bool, error) {
	spare := name + ".clean"
	data, err := l.readFile(ctx, name)
	if errors.Is(err, fs.ErrNotExist) {
		// An earlier run may have stopped between removing the original
		// and writing it again: the clean copy is kept beside it.
		if clean, err := l.readFile(ctx, spare); err == nil {
			if err := l.Files.Put(ctx, name, bytes.NewReader(clean)); err != nil {
				return false, err
			}
			return true, l.Files.Delete(ctx, spare)
		}
		return false, nil // a record without its file: nothing to leak
	}
	if err != nil {
		return false, err
	}
	clean := StripMetadata(Sniff(data), data)
	if bytes.Equal(clean, data) {
		return false, nil
	}
	// Storage never overwrites. The clean copy is written first, so that
	// at every moment one copy of the picture is stored; a reader asking
	// between the removal and the rewrite gets one 404.
	_ = l.Files.Delete(ctx, spare)
	if err := l.Files.Put(ctx, spare, bytes.NewReader(clean)); err != nil {
		return false, err
	}
	if err := l.Files.Delete(ctx, name); err != nil {
		return false, err
	}
	if err := l.Files.Put(ctx, name, bytes.NewReader(clean)); err != nil {
		return false, err
	}
	return true, l.Files.Delete(ctx, spare)
}

func (l *Library) readFile(ctx context.Context, name string) ([]byte, error) {
	rc, err := l.Files.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
