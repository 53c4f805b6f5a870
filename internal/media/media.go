// Package media owns the image library: it checks uploads (real type from
// the bytes, size and pixel limits before decoding), makes resized
// renditions for srcset, stores files behind Storage, records them in a
// news.MediaStore, and serves the admin upload pages and upload API.
package media

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // registers GIF decoding
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"time"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP decoding

	"byline/internal/news"
)

// ErrUnsupportedType marks uploads that are not JPEG, PNG, WebP or GIF
// (handlers answer 415).
var ErrUnsupportedType = errors.New("unsupported media type")

// ErrStorageUnavailable marks uploads refused because the media storage
// (the directory or the bucket) could not take the files; handlers answer
// 503, and nothing of the upload is kept.
var ErrStorageUnavailable = errors.New("media storage unavailable")

func storageError(err error) error {
	if err == nil || errors.Is(err, ErrStorageUnavailable) {
		return err
	}
	if news.KindOf(err) == news.KindStorageFull {
		// A full disk is 507 "nothing was saved", not a 503 outage.
		return news.StorageFull(err)
	}
	return fmt.Errorf("%w: %w", ErrStorageUnavailable, err)
}

// Limits bound what an upload may cost.
type Limits struct {
	MaxBytes  int64 // file size
	MaxPixels int64 // width × height
	MaxSide   int   // longest side
}

// DefaultLimits: 20 MB, 50 megapixels, 12,000 pixels a side.
var DefaultLimits = Limits{MaxBytes: 20 << 20, MaxPixels: 50_000_000, MaxSide: 12_000}

// DefaultWidths are the rendition widths for srcset.
var DefaultWidths = []int{480, 960, 1600}

// Library is the media library. Make one at start-up.
type Library struct {
	Store  news.MediaStore
	Files  Storage
	Limits Limits
	Widths []int
	// Quality of JPEG renditions.
	Quality int
	// Scaler resizes; nil is draw.CatmullRom (sharp), draw.ApproxBiLinear
	// is about 3x faster.
	Scaler draw.Scaler
	Now    func() time.Time
	// Notify is told of the articles a replaced image changed (their
	// cached pages are purged); nil tells no one.
	Notify news.Notifier
	Logger *slog.Logger
}

// New makes a library with the default limits and widths.
func New(store news.MediaStore, files Storage) *Library {
	return &Library{Store: store, Files: files, Limits: DefaultLimits, Widths: DefaultWidths, Quality: 82, Now: time.Now}
}

// Sniff names the image format from the first bytes, whatever the file is
// called or claims to be: "jpeg", "png", "gif", "webp" or "".
func Sniff(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "jpeg"
	case len(b) >= 8 && bytes.Equal(b[:8], []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case len(b) >= 6 && (bytes.Equal(b[:6], []byte("GIF87a")) || bytes.Equal(b[:6], []byte("GIF89a"))):
		return "gif"
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "webp"
	}
	return ""
}

var mimeOf = map[string]string{"jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
var extOf = map[string]string{"jpeg": ".jpg", "png": ".png", "gif": ".gif", "webp": ".webp"}

func invalid(msg string, args ...any) error {
	return &news.Error{Kind: news.KindInvalid, Field: "file", Message: fmt.Sprintf(msg, args...)}
}

// Check reads the image's type and size from its bytes without decoding
// its pixels, and refuses what is not an image we take or is too big.
func (l *Library) Check(data []byte) (format string, cfg image.Config, err error) {
	if int64(len(data)) > l.Limits.MaxBytes {
		return "", cfg, &news.Error{Kind: news.KindTooLarge, Field: "file",
			Message: fmt.Sprintf("the file is %.1f MB; images may be at most %d MB", float64(len(data))/(1<<20), l.Limits.MaxBytes>>20)}
	}
	if len(data) == 0 {
		return "", cfg, invalid("the file is empty")
	}
	format = Sniff(data)
	if format == "" {
		return "", cfg, &news.Error{Kind: news.KindInvalid, Field: "file", Err: ErrUnsupportedType,
			Message: "this file is not a JPEG, PNG, WebP or GIF image (its content was checked, not its name)"}
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || got != format {
		return "", cfg, invalid("the %s file is damaged or incomplete and cannot be read", format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return "", cfg, invalid("the image has no pixels")
	}
	if cfg.Width > l.Limits.MaxSide || cfg.Height > l.Limits.MaxSide || int64(cfg.Width)*int64(cfg.Height) > l.Limits.MaxPixels {
		return "", cfg, &news.Error{Kind: news.KindTooLarge, Field: "file", Message: fmt.Sprintf(
			"the image is %d×%d pixels (%.0f megapixels); the limit is %d megapixels and %d pixels a side, which also protects the server from decompression bombs",
			cfg.Width, cfg.Height, float64(cfg.Width)*float64(cfg.Height)/1e6, l.Limits.MaxPixels/1_000_000, l.Limits.MaxSide)}
	}
	return format, cfg, nil
}

// Upload checks, decodes and stores an image with its renditions, and
// records it. meta carries Alt, Caption, Credit and UploadedBy.
func (l *Library) Upload(ctx context.Context, data []byte, meta news.Media) (news.Media, error) {
	if err := meta.ValidateText(); err != nil {
		return meta, err
	}
	f, written, err := l.store(ctx, data)
	if err != nil {
		return meta, err
	}
	m := meta
	m.Path, m.MIME, m.Width, m.Height, m.Bytes, m.Renditions = f.Path, f.MIME, f.Width, f.Height, f.Bytes, f.Renditions
	m.CreatedAt = l.Now().UTC()
	if err := l.Store.CreateMedia(ctx, &m); err != nil {
		l.remove(ctx, written)
		return meta, err
	}
	return m, nil
}

// Delete removes an item no article uses: the record first, then, once
// that is committed, its original and renditions. A file that cannot be
// removed is logged and left for `byline media sweep`; the item is gone.
func (l *Library) Delete(ctx context.Context, id int64) (news.Media, error) {
	m, err := l.Store.DeleteMedia(ctx, id)
	if err != nil {
		return m, err
	}
	l.remove(ctx, m.Files())
	return m, nil
}

// Replace gives item id a new image: the new files are stored under new
// names (so that no cache, the reader's included, keeps the old picture
// under a URL marked immutable), the record and the articles showing it
// are switched in one transaction, the old URLs redirect to the new files,
// the articles' cached pages are purged, and the old files are removed
// after the commit. The id, texts and uploader stay.
func (l *Library) Replace(ctx context.Context, id int64, data []byte) (news.Media, error) {
	if _, err := l.Store.MediaByID(ctx, id); err != nil {
		return news.Media{}, err
	}
	f, written, err := l.store(ctx, data)
	if err != nil {
		return news.Media{}, err
	}
	old, changed, err := l.Store.ReplaceMedia(ctx, id, f)
	if err != nil {
		l.remove(ctx, written)
		return news.Media{}, err
	}
	l.remove(ctx, old.Files())
	if l.Notify != nil {
		for _, a := range changed {
			l.Notify.Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: a})
		}
	}
	return l.Store.MediaByID(ctx, id)
}

// remove deletes files, even when the request that asked has ended.
func (l *Library) remove(ctx context.Context, names []string) {
	ctx = context.WithoutCancel(ctx)
	for _, p := range names {
		if err := l.Files.Delete(ctx, p); err != nil {
			l.logger().WarnContext(ctx, "media: a file was not removed; byline media sweep removes it later", "file", p, "storage", l.Files.String(), "err", err)
		}
	}
}

func (l *Library) logger() *slog.Logger {
	if l.Logger != nil {
		return l.Logger
	}
	return slog.Default()
}

// store checks, decodes and writes an image and its renditions under a
// new random name. On error nothing stays stored; on success written
// lists the files, to remove if the record is then refused.
func (l *Library) store(ctx context.Context, data []byte) (f news.MediaFiles, written []string, err error) {
	format, cfg, err := l.Check(data)
	if err != nil {
		return f, nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return f, nil, invalid("the %s file is damaged or incomplete and cannot be read", format)
	}
	// The original is published as stored: drop the camera's GPS position
	// and the rest of its metadata first (orientation and colour stay).
	data = StripMetadata(format, data)
	now := l.Now().UTC()
	base := now.Format("2006/01/") + randomName()
	f.Path = base + extOf[format]
	f.MIME = mimeOf[format]
	// Width and height are as readers see the image: a JPEG whose EXIF
	// says "turn 90°" is shown with its sides swapped.
	rot := 1
	if format == "jpeg" {
		rot = jpegOrientation(data)
	}
	f.Width, f.Height = cfg.Width, cfg.Height
	if rot >= 5 {
		f.Width, f.Height = cfg.Height, cfg.Width
	}
	f.Bytes = int64(len(data))
	f.Renditions = []news.Rendition{}
	if err := l.Files.Put(ctx, f.Path, bytes.NewReader(data)); err != nil {
		return f, nil, storageError(err)
	}
	written = append(written, f.Path)
	// Largest first, each from the next larger one: the full-size image is
	// scanned once, which is most of the cost on a 12-megapixel photo.
	src := img
	for i := len(l.Widths) - 1; i >= 0; i-- {
		w := l.Widths[i]
		if w >= f.Width {
			continue
		}
		r, dst, err := l.rendition(ctx, src, base, w, rot)
		if err != nil {
			l.remove(ctx, written)
			return f, nil, storageError(err)
		}
		written = append(written, r.Path)
		f.Renditions = append([]news.Rendition{r}, f.Renditions...)
		src = dst
	}
	return f, written, nil
}

// rendition resizes img to width w. Opaque images become JPEG; images
// with transparency stay PNG (x/image cannot encode WebP). A source more
// than twice as wide is first halved with the cheap approximate filter,
// so the sharp filter only ever reads about 4 source pixels per output
// pixel.
func (l *Library) rendition(ctx context.Context, img image.Image, base string, w, rot int) (news.Rendition, image.Image, error) {
	scaler := l.Scaler
	if scaler == nil {
		scaler = draw.CatmullRom
	}
	want := w
	isOpaque := opaque(img)
	// img is as stored; w is the width readers see. With a quarter turn
	// the stored height becomes that width.
	uw := w
	if b := img.Bounds(); rot >= 5 {
		uw = max(1, (b.Dx()*w+b.Dy()/2)/b.Dy())
	}
	if b := img.Bounds(); b.Dx() > 2*uw && scaler != draw.Scaler(draw.ApproxBiLinear) {
		img = scale(draw.ApproxBiLinear, img, 2*uw, isOpaque)
	}
	stored := scale(scaler, img, uw, isOpaque)
	dst := orient(stored, rot)
	w, h := dst.Bounds().Dx(), dst.Bounds().Dy()
	var buf bytes.Buffer
	var name string
	if isOpaque {
		q := l.Quality
		if q == 0 {
			q = 82
		}
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: q}); err != nil {
			return news.Rendition{}, nil, err
		}
		name = fmt.Sprintf("%s-%d.jpg", base, want)
	} else {
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, dst); err != nil {
			return news.Rendition{}, nil, err
		}
		name = fmt.Sprintf("%s-%d.png", base, want)
	}
	r := news.Rendition{Path: name, Width: w, Height: h, Bytes: int64(buf.Len())}
	return r, stored, l.Files.Put(ctx, name, &buf)
}

func scale(s draw.Scaler, img image.Image, w int, isOpaque bool) draw.Image {
	b := img.Bounds()
	h := max(1, (b.Dy()*w+b.Dx()/2)/b.Dx())
	var dst draw.Image
	if isOpaque {
		dst = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		dst = image.NewNRGBA(image.Rect(0, 0, w, h))
	}
	s.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

func randomName() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ReadLimited reads r up to the size limit and says so clearly when the
// file is bigger.
func (l *Library) ReadLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, l.Limits.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > l.Limits.MaxBytes {
		return nil, &news.Error{Kind: news.KindTooLarge, Field: "file",
			Message: fmt.Sprintf("the file is larger than %d MB, the limit for images", l.Limits.MaxBytes>>20)}
	}
	return data, nil
}

// approx is the fast scaler, for benchmarks and a future setting.
var approx draw.Scaler = draw.ApproxBiLinear
