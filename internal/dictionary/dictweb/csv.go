package dictweb

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"byline/internal/news"
)

// Limits of a glossary CSV import.
const (
	MaxCSVBytes = 1 << 20
	// MaxImportBody is the largest import request: the file and its form.
	MaxImportBody = MaxCSVBytes + 64<<10
	MaxCSVRows    = 5000
)

// csvColumns are the columns a glossary CSV has, in this order; the
// header row names them (any order) and may add "links" (separated by
// spaces).
var csvColumns = []string{"term", "definition", "pos", "korean", "note"}

// ParseGlossaryCSV reads a glossary CSV: a header row naming the columns
// term, definition, pos, korean, note (term and definition required;
// "links" optional), then one entry a row. Every error names its line.
// A UTF-8 byte-order mark is allowed. Nothing is returned unless every
// row is good.
func ParseGlossaryCSV(r io.Reader) ([]news.GlossaryEntry, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxCSVBytes {
		return nil, news.Invalid("file", "the file is larger than %d KB", MaxCSVBytes>>10)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, news.Invalid("file", "the file is not UTF-8 text (save it as \"CSV UTF-8\")")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, news.Invalid("file", "the file is empty")
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			return nil, news.Invalid("file", "line 1: the column %q appears twice", h)
		}
		col[h] = i
	}
	for _, need := range []string{"term", "definition"} {
		if _, ok := col[need]; !ok {
			return nil, news.Invalid("file", "line 1: the header row must name the columns %s (missing %q)", strings.Join(csvColumns, ","), need)
		}
	}
	var out []news.GlossaryEntry
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(out) >= MaxCSVRows {
			return nil, news.Invalid("file", "more than %d entries; split the file", MaxCSVRows)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		e := news.GlossaryEntry{Display: get("term"), Definition: get("definition"), POS: get("pos"), Korean: get("korean"), Note: get("note"),
			Links: strings.Fields(get("links"))}
		if err := e.Validate(); err != nil {
			return nil, news.Invalid("file", "line %d: %s", line, news.PublicMessage(err))
		}
		if prev, ok := seen[e.Term]; ok {
			return nil, news.Invalid("file", "line %d: %q was already given on line %d", line, e.Display, prev)
		}
		seen[e.Term] = line
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, news.Invalid("file", "the file has a header row but no entries")
	}
	return out, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.StartLine != 0 && pe.StartLine != pe.Line {
			return news.Invalid("file", "line %d: %v (the entry starting there runs on to line %d)", pe.StartLine, pe.Err, pe.Line)
		}
		return news.Invalid("file", "line %d: %v", pe.Line, pe.Err)
	}
	return news.Invalid("file", "%v", err)
}

// WriteGlossaryCSV writes entries in the format ParseGlossaryCSV reads.
func WriteGlossaryCSV(w io.Writer, entries []news.GlossaryEntry) error {
	cw := csv.NewWriter(w)
	cw.Write(append(append([]string{}, csvColumns...), "links"))
	for _, e := range entries {
		if err := cw.Write([]string{csvSafe(e.Display), csvSafe(e.Definition), csvSafe(e.POS), csvSafe(e.Korean), csvSafe(e.Note), strings.Join(e.Links, " ")}); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
