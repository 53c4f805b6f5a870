package dictionary

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// want is what every fixture in testdata holds (see testdata/mkfixtures.py).
var wantKo = map[string]string{
	"apple": "사과", "dictionary": "사전", "get off": "내리다", "increase": "증가; 증가하다",
	"news": "뉴스, 소식", "North Korea": "북한", "reader": "독자", "sanction": "제재; 승인",
	"train": "기차; 훈련하다", "word": "단어",
}

func checkKo(t *testing.T, name string, got []BilingualEntry) {
	t.Helper()
	if len(got) != len(wantKo) {
		t.Errorf("%s: %d entries, want %d: %+v", name, len(got), len(wantKo), got)
	}
	for _, e := range got {
		if w, ok := wantKo[e.Headword]; !ok || e.Translation != w {
			t.Errorf("%s: entry %q = %q, want %q", name, e.Headword, e.Translation, w)
		}
	}
}

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestParseTSV(t *testing.T) {
	got, err := ParseTSV(open(t, "testdata/en-ko.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	checkKo(t, "en-ko.tsv", got)
	if got[0].Headword != "apple" || got[0].Note != "명사" {
		t.Errorf("first entry = %+v, want apple with note 명사", got[0])
	}
	// BOM, CRLF, comments, surrounding spaces, a reader that trickles.
	in := "\ufeff# comment\r\n\r\n apple \t 사과 \r\nword\t단어\tnote\r\n"
	got, err = ParseTSV(iotest.OneByteReader(strings.NewReader(in)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (BilingualEntry{"apple", "사과", ""}) || got[1].Note != "note" {
		t.Errorf("ParseTSV = %+v", got)
	}
}

func TestParseTSVHostile(t *testing.T) {
	tests := []struct {
		name, in, want string // want: part of the error
	}{
		{"one field", "apple\n", "line 1: want 2 or 3"},
		{"four fields", "a\tb\tc\td\n", "want 2 or 3"},
		{"empty headword", "\t사과\n", "empty headword"},
		{"empty translation", "apple\t \n", "empty translation"},
		{"bad utf-8", "apple\t\xff\xfe\n", "not valid UTF-8"},
		{"control char", "ap\x01ple\tx\n", ""},
		{"long headword", strings.Repeat("a", 300) + "\tx\n", "longer than"},
		{"line number", "# c\na\tb\nbad\n", "line 3"},
		{"bad gzip", "\x1f\x8bnot gzip", "bad gzip"},
	}
	for _, tt := range tests {
		got, err := ParseTSV(strings.NewReader(tt.in))
		if tt.want == "" {
			if err != nil || len(got) != 1 || got[0].Headword != "apple" {
				t.Errorf("%s: %+v, %v; want the control character dropped", tt.name, got, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want ErrInvalid mentioning %q", tt.name, err, tt.want)
		}
	}
}

// A file past MaxBilingualBytes is refused without reading it all.
func TestParseTSVTooLarge(t *testing.T) {
	r := &endless{line: []byte("word\t단어\n")}
	_, err := ParseTSV(r)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("error %v, want too large", err)
	}
	if r.n > MaxBilingualBytes+len(r.line)+64<<10 {
		t.Errorf("read %d bytes, want to stop near the limit", r.n)
	}
}

type endless struct {
	line []byte
	n    int
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], e.line[(e.n+n)%len(e.line):])
	}
	e.n += n
	return n, nil
}

func TestParseStarDict(t *testing.T) {
	for _, base := range []string{"en-ko", "en-ko-dz"} {
		got, err := ParseStarDictFS(os.DirFS("testdata/stardict"), base)
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		checkKo(t, base, got)
		for _, e := range got {
			if e.Headword == "apple" && e.Note != "ˈæpəl" {
				t.Errorf("%s: apple note = %q, want the phonetic field", base, e.Note)
			}
		}
	}
	if _, err := ParseStarDictFS(os.DirFS("testdata/stardict"), "missing"); err == nil {
		t.Error("missing dictionary: no error")
	}
}

// stardict builds the three files of a dictionary from idx records.
type sdRecord struct {
	word      string
	off, size uint32
}

func stardict(ifoExtra string, recs []sdRecord, count int) (ifo, idx []byte) {
	var b bytes.Buffer
	for _, r := range recs {
		b.WriteString(r.word)
		b.WriteByte(0)
		binary.Write(&b, binary.BigEndian, r.off)
		binary.Write(&b, binary.BigEndian, r.size)
	}
	ifo = []byte("StarDict's dict ifo file\nversion=2.4.2\nbookname=t\nwordcount=" + strconv.Itoa(count) + "\n" + ifoExtra)
	return ifo, b.Bytes()
}

func TestParseStarDictHostile(t *testing.T) {
	dict := []byte("사과\x00apple-ish")
	tests := []struct {
		name     string
		ifoExtra string
		recs     []sdRecord
		count    int
		ifo      string // replaces the whole .ifo when set
		idx      []byte // replaces the .idx when set
		dict     []byte
		want     string
	}{
		{name: "ok", ifoExtra: "sametypesequence=m\n", recs: []sdRecord{{"apple", 0, 6}}, count: 1, dict: dict, want: ""},
		{name: "offset past end", ifoExtra: "sametypesequence=m\n", recs: []sdRecord{{"apple", 100, 6}}, count: 1, dict: dict, want: "beyond .dict"},
		{name: "size past end", ifoExtra: "sametypesequence=m\n", recs: []sdRecord{{"apple", 2, 0xffffffff}}, count: 1, dict: dict, want: "beyond .dict"},
		{name: "count too small", ifoExtra: "sametypesequence=m\n", recs: []sdRecord{{"a", 0, 6}, {"b", 0, 6}}, count: 1, dict: dict, want: "more entries than wordcount"},
		{name: "count too large", ifoExtra: "sametypesequence=m\n", recs: []sdRecord{{"a", 0, 6}}, count: 2, dict: dict, want: "wordcount says 2"},
		{name: "unterminated word", idx: []byte("apple"), count: 1, dict: dict, want: "not terminated"},
		{name: "truncated offset", idx: []byte("apple\x00\x00\x00"), count: 1, dict: dict, want: "truncated offset"},
		{name: "bad magic", ifo: "Not a StarDict file\nversion=2.4.2\nwordcount=1\n", count: 1, dict: dict, want: "does not start"},
		{name: "bad version", ifo: "StarDict's dict ifo file\nversion=9\nwordcount=1\n", count: 1, dict: dict, want: "unsupported version"},
		{name: "no wordcount", ifo: "StarDict's dict ifo file\nversion=2.4.2\n", count: 1, dict: dict, want: "wordcount"},
		{name: "idx size mismatch", ifoExtra: "idxfilesize=3\nsametypesequence=m\n", recs: []sdRecord{{"apple", 0, 6}}, count: 1, dict: dict, want: ".ifo says 3"},
		{name: "line break in word", ifoExtra: "sametypesequence=m\n", recs: []sdRecord{{"ap\nple", 0, 6}}, count: 1, dict: dict, want: "line break"},
		{name: "bad utf-8 word", ifoExtra: "sametypesequence=m\n", recs: []sdRecord{{"\xff", 0, 6}}, count: 1, dict: dict, want: "not valid UTF-8"},
		{name: "bad utf-8 text", ifoExtra: "sametypesequence=m\n", recs: []sdRecord{{"apple", 0, 2}}, count: 1, dict: dict, want: "not valid UTF-8"},
		{name: "unknown type", recs: []sdRecord{{"apple", 0, 6}}, count: 1, dict: []byte("?xxxxx"), want: "unknown field type"},
		{name: "untyped unterminated", recs: []sdRecord{{"apple", 0, 4}}, count: 1, dict: []byte("mabc"), want: "not terminated"},
		{name: "binary size past record", recs: []sdRecord{{"apple", 0, 6}}, count: 1, dict: []byte("W\xff\xff\xff\xffx"), want: "size beyond record"},
		{name: "unterminated non-last field", ifoExtra: "sametypesequence=tm\n", recs: []sdRecord{{"apple", 0, 3}}, count: 1, dict: []byte("abc"), want: "not terminated"},
		{name: "empty translation", ifoExtra: "sametypesequence=m\n", recs: []sdRecord{{"apple", 0, 0}}, count: 1, dict: dict, want: "empty translation"},
	}
	for _, tt := range tests {
		ifo, idx := stardict(tt.ifoExtra, tt.recs, tt.count)
		if tt.ifo != "" {
			ifo = []byte(tt.ifo)
		}
		if tt.idx != nil {
			idx = tt.idx
		}
		got, err := ParseStarDict(bytes.NewReader(ifo), bytes.NewReader(idx), bytes.NewReader(tt.dict))
		if tt.want == "" {
			if err != nil || len(got) != 1 || got[0].Translation != "사과" {
				t.Errorf("%s: %+v, %v", tt.name, got, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want ErrInvalid mentioning %q", tt.name, err, tt.want)
		}
	}
}

// Records without sametypesequence carry their own type letters; markup
// is stripped, binary fields skipped.
func TestStarDictTypedFields(t *testing.T) {
	rec := []byte("t" + "ˈæpəl\x00" + "W\x00\x00\x00\x02zz" + "h" + "<b>사과</b> &amp; 배\x00")
	ifo, idx := stardict("", []sdRecord{{"apple", 0, uint32(len(rec))}}, 1)
	got, err := ParseStarDict(bytes.NewReader(ifo), bytes.NewReader(idx), bytes.NewReader(rec))
	if err != nil {
		t.Fatal(err)
	}
	if want := (BilingualEntry{"apple", "사과 & 배", "ˈæpəl"}); got[0] != want {
		t.Errorf("got %+v, want %+v", got[0], want)
	}
}

func TestParseDictd(t *testing.T) {
	got, err := ParseDictd(open(t, "testdata/dictd/en-ko.index"), open(t, "testdata/dictd/en-ko.dict"))
	if err != nil {
		t.Fatal(err)
	}
	checkKo(t, "dictd", got)
}

func TestDictdNumber(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"A", 0, true}, {"B", 1, true}, {"/", 63, true}, {"BA", 64, true}, {"CO", 142, true},
		{"", 0, false}, {"a-b", 0, false}, {"AAAAAAAAA", 0, false}, {"=", 0, false},
	}
	for _, tt := range tests {
		got, err := dictdNumber(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("dictdNumber(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseDictdHostile(t *testing.T) {
	dict := "apple\n   사과\n"
	tests := []struct {
		name, index, dict, want string
	}{
		{"ok", "apple\tA\tQ\n", dict, ""},
		{"offset past end", "apple\tBAAA\tQ\n", dict, "beyond .dict"},
		{"length past end", "apple\tA\t////\n", dict, "beyond .dict"},
		{"bad digit", "apple\tA!\tQ\n", dict, "bad number"},
		{"huge number", "apple\t//////////\tQ\n", dict, "bad number"},
		{"missing fields", "apple\tA\n", dict, "want headword, offset and length"},
		{"bad utf-8 index", "app\xffle\tA\tQ\n", dict, "not valid UTF-8"},
		{"bad utf-8 dict", "apple\tA\tE\n", "\xff\xfe\xfd\xfc\n", "not valid UTF-8"},
		{"only headword", "apple\tA\tF\n", "apple\n", "empty translation"},
	}
	for _, tt := range tests {
		got, err := ParseDictd(strings.NewReader(tt.index), strings.NewReader(tt.dict))
		if tt.want == "" {
			if err != nil || len(got) != 1 || got[0].Translation != "사과" {
				t.Errorf("%s: %+v, %v", tt.name, got, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want ErrInvalid mentioning %q", tt.name, err, tt.want)
		}
	}
}

// The parsers read files from outside: whatever the bytes, they return
// entries or an error, never panic.
func FuzzParseStarDict(f *testing.F) {
	ifo, idx := stardict("sametypesequence=tm\n", []sdRecord{{"apple", 0, 9}}, 1)
	f.Add(ifo, idx, []byte("ab\x00사과x"))
	f.Add([]byte("StarDict's dict ifo file\nversion=3.0.0\nwordcount=1\nidxoffsetbits=64\n"), []byte("a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02"), []byte("mx\x00"))
	f.Fuzz(func(t *testing.T, ifo, idx, dict []byte) {
		es, err := ParseStarDict(bytes.NewReader(ifo), bytes.NewReader(idx), bytes.NewReader(dict))
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v is not ErrInvalid", err)
		}
		for _, e := range es {
			if e.Headword == "" || e.Translation == "" {
				t.Fatalf("empty entry %+v", e)
			}
		}
	})
}

func FuzzParseDictd(f *testing.F) {
	f.Add("apple\tA\tQ\n", "apple\n   사과\n")
	f.Add("00-database-short\tA\tB\nx\t/\t/\n", "zz")
	f.Fuzz(func(t *testing.T, index, dict string) {
		es, err := ParseDictd(strings.NewReader(index), strings.NewReader(dict))
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v is not ErrInvalid", err)
		}
		for _, e := range es {
			if e.Headword == "" || e.Translation == "" {
				t.Fatalf("empty entry %+v", e)
			}
		}
	})
}
