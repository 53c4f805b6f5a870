package lexfmt

import (
	"bytes"
	"compress/gzip"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	f := New()
	f.Bytes["strs"] = []byte("hello")
	f.Arrays["nums"] = []uint32{0, 5, 3, 1<<32 - 1, 0}
	f.Arrays["none"] = []uint32{}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	g, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if string(g.Bytes["strs"]) != "hello" || !reflect.DeepEqual(g.Arrays["nums"], f.Arrays["nums"]) || len(g.Arrays["none"]) != 0 {
		t.Errorf("round trip = %+v, want %+v", g, f)
	}
	var again bytes.Buffer
	if err := f.Write(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two writes of the same File differ")
	}
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestReadCorrupt(t *testing.T) {
	tests := []struct {
		name string
		data []byte // gzip'd
		want string
	}{
		{"not gzip", []byte("this is not gzip data"), "gzip"},
		{"bad magic", gz([]byte("NOTALEX!\x00\x00\x00\x00")), "bad magic"},
		{"truncated header", gz([]byte(Magic + "\x01\x00\x00\x00abc")), "truncated section header"},
		{"bytes too long", gz([]byte(Magic + "\x01\x00\x00\x00abcd\x01\xff\x00\x00\x00xy")), "truncated"},
		{"array too long", gz([]byte(Magic + "\x01\x00\x00\x00abcd\x02\xff\xff\x00\x00\x02")), "truncated"},
		{"bad varint", gz([]byte(Magic + "\x01\x00\x00\x00abcd\x02\x01\x00\x00\x00\xff")), "bad varint"},
		{"negative value", gz([]byte(Magic + "\x01\x00\x00\x00abcd\x02\x01\x00\x00\x00\x01")), "out of range"},
		{"unknown kind", gz([]byte(Magic + "\x01\x00\x00\x00abcd\x09\x00\x00\x00\x00")), "unknown kind"},
		{"trailing", gz([]byte(Magic + "\x00\x00\x00\x00zz")), "trailing"},
	}
	for _, tt := range tests {
		_, err := Read(tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}
