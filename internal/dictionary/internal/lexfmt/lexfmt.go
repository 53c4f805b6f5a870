// Package lexfmt owns the container format of the embedded lexicon: a
// gzip stream holding named sections that are either byte strings or
// little-endian uint32 arrays. The generator writes it and the dictionary
// package reads it; keeping both halves here means they cannot drift apart.
//
// Layout after decompression:
//
//	magic "BYLEX01\n"
//	uint32 section count
//	per section: 4-byte name, 1-byte kind (1 bytes, 2 uint32s), uint32 length
//	(in elements), then the payload; arrays are stored as zigzag varint deltas.
//
// Every array is a flat table so that loading is one decompression and a
// handful of copies, never one allocation per word or synset.
package lexfmt

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
)

// Magic starts every decompressed lexicon.
const Magic = "BYLEX01\n"

const (
	kindBytes = 1
	kindU32   = 2
)

// maxSize bounds the decompressed stream so a corrupt file cannot make the
// reader allocate without limit.
const maxSize = 256 << 20

// File is a decoded set of sections.
type File struct {
	Bytes  map[string][]byte
	Arrays map[string][]uint32
}

// New returns an empty File ready for writing.
func New() *File {
	return &File{Bytes: map[string][]byte{}, Arrays: map[string][]uint32{}}
}

func checkName(name string) error {
	if len(name) != 4 {
		return fmt.Errorf("lexfmt: section name %q is not 4 bytes", name)
	}
	return nil
}

// Write encodes f as gzip into w. Sections are written in name order so the
// output is byte-for-byte reproducible.
func (f *File) Write(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(Magic)
	var names []string
	for n := range f.Bytes {
		names = append(names, n)
	}
	for n := range f.Arrays {
		if _, dup := f.Bytes[n]; dup {
			return fmt.Errorf("lexfmt: section %q defined twice", n)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	var buf [4]byte
	put := func(v uint32) {
		binary.LittleEndian.PutUint32(buf[:], v)
		bw.Write(buf[:])
	}
	put(uint32(len(names)))
	for _, n := range names {
		if err := checkName(n); err != nil {
			return err
		}
		bw.WriteString(n)
		if b, ok := f.Bytes[n]; ok {
			bw.WriteByte(kindBytes)
			put(uint32(len(b)))
			bw.Write(b)
			continue
		}
		// Arrays are mostly offsets and ids that grow slowly, so zigzag
		// deltas as varints shrink them and let gzip find the patterns.
		a := f.Arrays[n]
		bw.WriteByte(kindU32)
		put(uint32(len(a)))
		var vb [binary.MaxVarintLen64]byte
		prev := int64(0)
		for _, v := range a {
			k := binary.PutVarint(vb[:], int64(v)-prev)
			bw.Write(vb[:k])
			prev = int64(v)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// Read decodes a gzip'd lexicon.
func Read(gz []byte) (*File, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("lexfmt: %w", err)
	}
	// gzip's trailer holds the uncompressed size: one allocation of the
	// right size instead of a growing buffer's copies and garbage.
	var buf bytes.Buffer
	if n := len(gz); n >= 4 {
		if size := binary.LittleEndian.Uint32(gz[n-4:]); size <= maxSize {
			buf.Grow(int(size) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(zr, maxSize+1)); err != nil {
		return nil, fmt.Errorf("lexfmt: %w", err)
	}
	if buf.Len() > maxSize {
		return nil, errors.New("lexfmt: lexicon too large")
	}
	return Decode(buf.Bytes())
}

// Decode parses an uncompressed lexicon. Byte sections alias data.
func Decode(data []byte) (*File, error) {
	if len(data) < len(Magic)+4 || string(data[:len(Magic)]) != Magic {
		return nil, errors.New("lexfmt: bad magic")
	}
	p := data[len(Magic):]
	n := binary.LittleEndian.Uint32(p)
	p = p[4:]
	f := New()
	for i := uint32(0); i < n; i++ {
		if len(p) < 9 {
			return nil, errors.New("lexfmt: truncated section header")
		}
		name, kind, length := string(p[:4]), p[4], binary.LittleEndian.Uint32(p[5:9])
		p = p[9:]
		switch kind {
		case kindBytes:
			if uint64(length) > uint64(len(p)) {
				return nil, fmt.Errorf("lexfmt: section %q truncated", name)
			}
			f.Bytes[name] = p[:length:length]
			p = p[length:]
		case kindU32:
			if uint64(length) > uint64(len(p)) { // at least a byte each
				return nil, fmt.Errorf("lexfmt: section %q truncated", name)
			}
			a := make([]uint32, length)
			prev := int64(0)
			for j := range a {
				d, k := binary.Varint(p)
				if k <= 0 {
					return nil, fmt.Errorf("lexfmt: section %q: bad varint", name)
				}
				prev += d
				if prev < 0 || prev > 1<<32-1 {
					return nil, fmt.Errorf("lexfmt: section %q: value out of range", name)
				}
				a[j] = uint32(prev)
				p = p[k:]
			}
			f.Arrays[name] = a
		default:
			return nil, fmt.Errorf("lexfmt: section %q has unknown kind %d", name, kind)
		}
	}
	if len(p) != 0 {
		return nil, errors.New("lexfmt: trailing data")
	}
	return f, nil
}
