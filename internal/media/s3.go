package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/url"
	"path"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"byline/internal/config"
)

// S3Options say how to reach S3-compatible object storage. Credentials
// left empty come from the standard AWS chain: AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, then ~/.aws/credentials, then the instance's
// IAM role.
type S3Options struct {
	// Endpoint is a URL such as https://s3.eu-central-1.amazonaws.com or
	// http://127.0.0.1:7070; empty is AWS.
	Endpoint  string
	Region    string
	PathStyle bool
	AccessKey string
	SecretKey string
}

// S3 stores files as objects under Prefix in Bucket.
type S3 struct {
	Client *minio.Client
	Bucket string
	Prefix string // "" or ending in "/"
}

// ParseLocation reads a media location: "s3://bucket/prefix" (kind "s3")
// or a directory, written as a path or "dir:PATH" (kind "dir").
func ParseLocation(loc string) (kind, bucket, prefix string, err error) {
	if rest, ok := strings.CutPrefix(loc, "s3://"); ok {
		bucket, prefix, _ = strings.Cut(rest, "/")
		prefix = strings.Trim(prefix, "/")
		if bucket == "" || strings.ContainsAny(bucket, " \\?#") {
			return "", "", "", fmt.Errorf("media location %q: write s3://BUCKET or s3://BUCKET/PREFIX", loc)
		}
		if prefix != "" && path.Clean(prefix) != prefix || strings.HasPrefix(prefix, "..") {
			return "", "", "", fmt.Errorf("media location %q: the prefix must be a plain path", loc)
		}
		return "s3", bucket, prefix, nil
	}
	if strings.Contains(loc, "://") {
		return "", "", "", fmt.Errorf("media location %q: use s3://BUCKET/PREFIX or a directory", loc)
	}
	dir := strings.TrimPrefix(loc, "dir:")
	if strings.TrimSpace(dir) == "" {
		return "", "", "", fmt.Errorf("media location %q names no directory", loc)
	}
	return "dir", "", dir, nil
}

// OpenStorage opens a media location (see ParseLocation); empty is the
// directory defaultDir.
func OpenStorage(loc string, o S3Options, defaultDir string) (Storage, error) {
	if loc == "" {
		return Disk{Root: defaultDir}, nil
	}
	kind, bucket, prefix, err := ParseLocation(loc)
	if err != nil {
		return nil, err
	}
	if kind == "dir" {
		return Disk{Root: prefix}, nil
	}
	return NewS3(o, bucket, prefix)
}

// NewS3 connects to a bucket (lazily: nothing is sent until first use).
func NewS3(o S3Options, bucket, prefix string) (*S3, error) {
	host, secure := "s3.amazonaws.com", true
	if o.Endpoint != "" {
		u, err := url.Parse(o.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("S3 endpoint %q must be a URL such as https://s3.example.com or http://127.0.0.1:7070", o.Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	var creds *credentials.Credentials
	if o.AccessKey != "" || o.SecretKey != "" {
		if o.AccessKey == "" || o.SecretKey == "" {
			return nil, errors.New("S3: set both the access key and the secret key, or neither (to use the AWS credential chain)")
		}
		creds = credentials.NewStaticV4(o.AccessKey, o.SecretKey, "")
	} else {
		creds = credentials.NewChainCredentials([]credentials.Provider{
			&credentials.EnvAWS{}, &credentials.FileAWSCredentials{}, &credentials.IAM{},
		})
	}
	lookup := minio.BucketLookupAuto
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(host, &minio.Options{Creds: creds, Secure: secure, Region: o.Region, BucketLookup: lookup, MaxRetries: 3})
	if err != nil {
		return nil, fmt.Errorf("S3: %w", err)
	}
	if prefix != "" {
		prefix += "/"
	}
	return &S3{Client: c, Bucket: bucket, Prefix: prefix}, nil
}

func (s *S3) String() string { return "s3://" + s.Bucket + "/" + strings.TrimSuffix(s.Prefix, "/") }

func (s *S3) key(name string) (string, error) {
	if _, err := cleanName(name); err != nil {
		return "", err
	}
	return s.Prefix + name, nil
}

func notFound(err error) bool {
	code := minio.ToErrorResponse(err).Code
	return code == minio.NoSuchKey || code == "NotFound"
}

// Put uploads the file in one request, which S3 stores whole or not at
// all: a failed upload leaves no half object behind. (Media files are at
// most tens of megabytes, far under the single-request limit.)
func (s *S3) Put(ctx context.Context, name string, r io.Reader) error {
	key, err := s.key(name)
	if err != nil {
		return err
	}
	var body io.Reader = r
	size := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	} else {
		b, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("media: write %s: %w", name, err)
		}
		body, size = bytes.NewReader(b), int64(len(b))
	}
	if _, err := s.Client.StatObject(ctx, s.Bucket, key, minio.StatObjectOptions{}); err == nil {
		return fmt.Errorf("media: %s exists", name)
	} else if !notFound(err) {
		return fmt.Errorf("media: write %s to %s: %w", name, s, err)
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	_, err = s.Client.PutObject(ctx, s.Bucket, key, body, size, minio.PutObjectOptions{
		ContentType:      ct,
		CacheControl:     "public, max-age=2592000, immutable",
		DisableMultipart: true,
	})
	if err != nil {
		return fmt.Errorf("media: write %s to %s: %w", name, s, err)
	}
	return nil
}

// s3Object keeps its own position: http.ServeContent seeks to the end
// (for the size) and back before reading, and each real seek of a
// minio.Object costs another GET; the size is known from the first one.
type s3Object struct {
	obj      *minio.Object
	info     Info
	pos, got int64 // where the reader is; where obj would read next
}

func (o *s3Object) Info() Info { return o.info }

func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += o.pos
	case io.SeekEnd:
		offset += o.info.Size
	default:
		return 0, errors.New("media: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("media: seek before the start")
	}
	o.pos = offset
	return offset, nil
}

func (o *s3Object) Read(p []byte) (int, error) {
	if o.pos >= o.info.Size {
		return 0, io.EOF
	}
	if o.pos != o.got {
		if _, err := o.obj.Seek(o.pos, io.SeekStart); err != nil {
			return 0, err
		}
		o.got = o.pos
	}
	n, err := o.obj.Read(p)
	o.pos += int64(n)
	o.got = o.pos
	return n, err
}

func (o *s3Object) Close() error { return o.obj.Close() }

// Open reads an object; its first request also answers its size and ETag.
func (s *S3) Open(ctx context.Context, name string) (Object, error) {
	key, err := s.key(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, fs.ErrNotExist)
	}
	obj, err := s.Client.GetObject(ctx, s.Bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("media: read %s from %s: %w", name, s, err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		if notFound(err) {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		return nil, fmt.Errorf("media: read %s from %s: %w", name, s, err)
	}
	etag := st.ETag
	if etag != "" && !strings.HasPrefix(etag, `"`) {
		etag = `"` + etag + `"`
	}
	return &s3Object{obj: obj, info: Info{Size: st.Size, ModTime: st.LastModified, ETag: etag}}, nil
}

// Delete removes an object; S3 answers success for a missing one.
func (s *S3) Delete(ctx context.Context, name string) error {
	key, err := s.key(name)
	if err != nil {
		return err
	}
	if err := s.Client.RemoveObject(ctx, s.Bucket, key, minio.RemoveObjectOptions{}); err != nil && !notFound(err) {
		return fmt.Errorf("media: delete %s from %s: %w", name, s, err)
	}
	return nil
}

// Walk lists every object under the prefix.
func (s *S3) Walk(ctx context.Context, fn func(name string, size int64) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for o := range s.Client.ListObjects(ctx, s.Bucket, minio.ListObjectsOptions{Prefix: s.Prefix, Recursive: true}) {
		if o.Err != nil {
			return fmt.Errorf("media: list %s: %w", s, o.Err)
		}
		name := strings.TrimPrefix(o.Key, s.Prefix)
		if name == "" || strings.HasSuffix(name, "/") {
			continue
		}
		if err := fn(name, o.Size); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Configured opens the storage a server's configuration names: the
// media directory in the data directory, or the --media-store bucket.
func Configured(c *config.Config) (Storage, error) {
	return OpenStorage(c.MediaStore, S3Options(c.S3), c.MediaDir())
}
