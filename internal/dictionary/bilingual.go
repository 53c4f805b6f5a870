package dictionary

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// BilingualEntry is one headword of a bilingual dictionary. The parsers
// below return them; storing and matching them is someone else's job.
type BilingualEntry struct {
	Headword    string `json:"headword"`
	Translation string `json:"translation"`
	Note        string `json:"note,omitempty"`
}

// Limits on bilingual dictionary files, which come from outside: an
// operator's upload or a download. Past them a parser stops with an error
// wrapping ErrInvalid rather than exhausting memory.
const (
	MaxBilingualBytes   = 64 << 20 // any one file, after decompression
	MaxBilingualEntries = 1 << 20
	maxHeadwordBytes    = 256 // StarDict's own limit
	maxTranslationBytes = 64 << 10
)

// dropControl removes control characters other than line breaks and tabs.
func dropControl(r rune) rune {
	if (r < ' ' && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
		return -1
	}
	return r
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("dictionary: "+format+": %w", append(args, ErrInvalid)...)
}

// readAll reads r up to MaxBilingualBytes, decompressing gzip (and so
// dictzip's .dict.dz, which is gzip with an index in an extra field).
func readAll(r io.Reader, what string) ([]byte, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, invalid("%s: bad gzip data: %v", what, err)
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxBilingualBytes+1))
	if err != nil {
		return nil, invalid("%s: %v", what, err)
	}
	if len(b) > MaxBilingualBytes {
		return nil, invalid("%s larger than %d bytes", what, MaxBilingualBytes)
	}
	return b, nil
}

// checkEntry validates and tidies an entry: valid UTF-8, sizes within
// bounds, no control characters (line breaks and tabs stay in the
// translation and note; a headword is one line).
func checkEntry(e *BilingualEntry, where string) error {
	for _, f := range []struct {
		name string
		s    *string
		max  int
	}{{"headword", &e.Headword, maxHeadwordBytes}, {"translation", &e.Translation, maxTranslationBytes}, {"note", &e.Note, maxTranslationBytes}} {
		if !utf8.ValidString(*f.s) {
			return invalid("%s: %s is not valid UTF-8", where, f.name)
		}
		*f.s = strings.TrimSpace(strings.Map(dropControl, *f.s))
		if len(*f.s) > f.max {
			return invalid("%s: %s longer than %d bytes", where, f.name, f.max)
		}
	}
	if e.Headword == "" {
		return invalid("%s: empty headword", where)
	}
	if strings.ContainsAny(e.Headword, "\n\t") {
		return invalid("%s: line break or tab in headword", where)
	}
	if e.Translation == "" {
		return invalid("%s: empty translation", where)
	}
	return nil
}

// ParseTSV reads a tab-separated glossary: one entry a line,
// headword<TAB>translation[<TAB>note]. Blank lines and lines starting with
// '#' are skipped; a UTF-8 byte-order mark and CRLF line ends are allowed.
func ParseTSV(r io.Reader) ([]BilingualEntry, error) {
	data, err := readAll(r, "tsv")
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var out []BilingualEntry
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		where := "tsv line " + strconv.Itoa(n+1)
		f := strings.Split(line, "\t")
		if len(f) < 2 || len(f) > 3 {
			return nil, invalid("%s: want 2 or 3 tab-separated fields, got %d", where, len(f))
		}
		e := BilingualEntry{Headword: f[0], Translation: f[1]}
		if len(f) == 3 {
			e.Note = f[2]
		}
		if err := checkEntry(&e, where); err != nil {
			return nil, err
		}
		if len(out) == MaxBilingualEntries {
			return nil, invalid("tsv: more than %d entries", MaxBilingualEntries)
		}
		out = append(out, e)
	}
	return out, nil
}

// ParseStarDict reads a StarDict dictionary from its three files: .ifo
// (metadata), .idx (headwords with offsets) and .dict (definitions, plain
// or as .dict.dz). Text fields become the translation ('m', 'l', 'g', 'h',
// 'x', 'y', 'k', with markup removed); a phonetic field ('t') becomes the
// note; binary fields (sound, pictures) are skipped.
func ParseStarDict(ifo, idx, dict io.Reader) ([]BilingualEntry, error) {
	info, err := readAll(io.LimitReader(ifo, 1<<20), "stardict .ifo")
	if err != nil {
		return nil, err
	}
	meta, err := parseIfo(info)
	if err != nil {
		return nil, err
	}
	idxData, err := readAll(idx, "stardict .idx")
	if err != nil {
		return nil, err
	}
	dictData, err := readAll(dict, "stardict .dict")
	if err != nil {
		return nil, err
	}
	if s, ok := meta["idxfilesize"]; ok && s != strconv.Itoa(len(idxData)) {
		return nil, invalid("stardict: .idx has %d bytes, .ifo says %s", len(idxData), s)
	}
	offBytes := 4
	if meta["idxoffsetbits"] == "64" {
		offBytes = 8
	}
	want, err := strconv.Atoi(meta["wordcount"])
	if err != nil || want < 0 {
		return nil, invalid("stardict: .ifo has no valid wordcount")
	}
	if want > MaxBilingualEntries {
		return nil, invalid("stardict: more than %d entries", MaxBilingualEntries)
	}
	types := meta["sametypesequence"]
	out := make([]BilingualEntry, 0, min(want, len(idxData)/(offBytes+5)+1))
	for p := 0; p < len(idxData); {
		where := fmt.Sprintf("stardict .idx entry %d", len(out)+1)
		end := bytes.IndexByte(idxData[p:], 0)
		if end < 0 {
			return nil, invalid("%s: headword not terminated", where)
		}
		word := string(idxData[p : p+end])
		p += end + 1
		if len(idxData)-p < offBytes+4 {
			return nil, invalid("%s: truncated offset", where)
		}
		var off uint64
		for _, b := range idxData[p : p+offBytes] {
			off = off<<8 | uint64(b)
		}
		p += offBytes
		size := uint64(idxData[p])<<24 | uint64(idxData[p+1])<<16 | uint64(idxData[p+2])<<8 | uint64(idxData[p+3])
		p += 4
		if off > uint64(len(dictData)) || size > uint64(len(dictData))-off {
			return nil, invalid("%s (%q): offset %d + size %d beyond .dict (%d bytes)", where, word, off, size, len(dictData))
		}
		e := BilingualEntry{Headword: word}
		if err := starDictFields(&e, dictData[off:off+size], types, where); err != nil {
			return nil, err
		}
		if err := checkEntry(&e, where); err != nil {
			return nil, err
		}
		if len(out) == want {
			return nil, invalid("stardict: .idx has more entries than wordcount %d", want)
		}
		out = append(out, e)
	}
	if len(out) != want {
		return nil, invalid("stardict: .idx has %d entries, wordcount says %d", len(out), want)
	}
	return out, nil
}

func parseIfo(b []byte) (map[string]string, error) {
	if !utf8.Valid(b) {
		return nil, invalid("stardict .ifo is not valid UTF-8")
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	if strings.TrimSpace(strings.TrimPrefix(lines[0], "\ufeff")) != "StarDict's dict ifo file" {
		return nil, invalid("stardict: .ifo does not start with \"StarDict's dict ifo file\"")
	}
	meta := map[string]string{}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(l, "="); ok {
			meta[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if v := meta["version"]; v != "2.4.2" && v != "3.0.0" {
		return nil, invalid("stardict: unsupported version %q", v)
	}
	if b := meta["idxoffsetbits"]; b != "" && b != "32" && b != "64" {
		return nil, invalid("stardict: bad idxoffsetbits %q", b)
	}
	return meta, nil
}

// starDictFields decodes one .dict record. With sametypesequence the type
// letters are given once for all records and the last field runs to the
// end of the record; without it each field starts with its type letter.
func starDictFields(e *BilingualEntry, rec []byte, types, where string) error {
	var trans []string
	field := func(t byte, data []byte) {
		s := string(data)
		switch t {
		case 't':
			e.Note = s
		case 'm', 'l', 'y', 'k':
			trans = append(trans, s)
		case 'g', 'h', 'x':
			trans = append(trans, stripMarkup(s))
		}
	}
	// one decodes the field of type t at the start of rec and returns the
	// rest; the last field of a sametypesequence runs to the record's end.
	one := func(t byte, rec []byte, last bool) ([]byte, error) {
		switch {
		case t >= 'a' && t <= 'z':
			n := len(rec)
			if !last {
				if n = bytes.IndexByte(rec, 0); n < 0 {
					return nil, invalid("%s: field %q not terminated", where, t)
				}
			}
			field(t, rec[:n])
			if !last {
				n++
			}
			return rec[n:], nil
		case t >= 'A' && t <= 'Z':
			n := len(rec)
			if !last {
				if len(rec) < 4 {
					return nil, invalid("%s: field %q truncated", where, t)
				}
				n = int(binary.BigEndian.Uint32(rec))
				rec = rec[4:]
				if n > len(rec) {
					return nil, invalid("%s: field %q size beyond record", where, t)
				}
			}
			return rec[n:], nil // binary data: skipped
		}
		return nil, invalid("%s: unknown field type %q", where, t)
	}
	var err error
	if types != "" {
		for i := 0; i < len(types) && err == nil; i++ {
			rec, err = one(types[i], rec, i == len(types)-1)
		}
	} else {
		for len(rec) > 0 && err == nil {
			rec, err = one(rec[0], rec[1:], false)
		}
	}
	if err != nil {
		return err
	}
	e.Translation = strings.Join(trans, "\n")
	return nil
}

var tags = regexp.MustCompile(`<[^>]*>`)

// stripMarkup turns HTML, Pango or XDXF markup into plain text; the HTTP
// layer escapes what it shows, so markup from a file never reaches a page.
func stripMarkup(s string) string {
	s = strings.NewReplacer("<br>", "\n", "<br/>", "\n", "<br />", "\n").Replace(s)
	return html.UnescapeString(tags.ReplaceAllString(s, ""))
}

// ParseStarDictFS opens base.ifo, base.idx (or base.idx.gz) and base.dict
// (or base.dict.dz) in fsys and parses them.
func ParseStarDictFS(fsys fs.FS, base string) ([]BilingualEntry, error) {
	open := func(names ...string) (fs.File, error) {
		var err error
		for _, n := range names {
			var f fs.File
			if f, err = fsys.Open(n); err == nil {
				return f, nil
			}
		}
		return nil, fmt.Errorf("dictionary: stardict: %w", err)
	}
	ifo, err := open(base + ".ifo")
	if err != nil {
		return nil, err
	}
	defer ifo.Close()
	idx, err := open(base+".idx", base+".idx.gz")
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	dict, err := open(base+".dict", base+".dict.dz")
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	return ParseStarDict(ifo, idx, dict)
}

// ParseDictd reads a dictd dictionary: the .index file has lines
// headword<TAB>offset<TAB>length with the numbers in dictd's base64 digits,
// and the .dict file (plain or .dict.dz) holds the definitions. The
// "00-database-..." entries are metadata and are skipped; a definition's
// first line is dropped when it only repeats the headword.
func ParseDictd(index, dict io.Reader) ([]BilingualEntry, error) {
	idxData, err := readAll(index, "dictd .index")
	if err != nil {
		return nil, err
	}
	dictData, err := readAll(dict, "dictd .dict")
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(idxData) {
		return nil, invalid("dictd .index is not valid UTF-8")
	}
	var out []BilingualEntry
	for n, line := range strings.Split(string(idxData), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		where := "dictd .index line " + strconv.Itoa(n+1)
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			return nil, invalid("%s: want headword, offset and length", where)
		}
		word := f[0]
		if strings.HasPrefix(word, "00-database-") || strings.HasPrefix(word, "00database") {
			continue
		}
		off, err1 := dictdNumber(f[1])
		size, err2 := dictdNumber(f[2])
		if err := errors.Join(err1, err2); err != nil {
			return nil, invalid("%s: %v", where, err)
		}
		if off > uint64(len(dictData)) || size > uint64(len(dictData))-off {
			return nil, invalid("%s (%q): offset %d + length %d beyond .dict (%d bytes)", where, word, off, size, len(dictData))
		}
		body := strings.TrimSpace(string(dictData[off : off+size]))
		if first, rest, ok := strings.Cut(body, "\n"); ok && strings.EqualFold(strings.TrimSpace(first), word) {
			body = rest
		} else if !ok && strings.EqualFold(body, word) {
			body = ""
		}
		e := BilingualEntry{Headword: word, Translation: body}
		if err := checkEntry(&e, where); err != nil {
			return nil, err
		}
		if len(out) == MaxBilingualEntries {
			return nil, invalid("dictd: more than %d entries", MaxBilingualEntries)
		}
		out = append(out, e)
	}
	return out, nil
}

const dictdDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// dictdNumber decodes dictd's base64 numbers: digits of dictdDigits, most
// significant first ("B" is 1, "BA" is 64).
func dictdNumber(s string) (uint64, error) {
	if s == "" || len(s) > 8 { // 8 digits are 48 bits, far past any file
		return 0, fmt.Errorf("bad number %q", s)
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(dictdDigits, s[i])
		if d < 0 {
			return 0, fmt.Errorf("bad number %q", s)
		}
		n = n<<6 | uint64(d)
	}
	return n, nil
}
