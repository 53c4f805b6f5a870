package news

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Section is a node of the section tree. Path is the slash-joined slugs
// from the root ("national/politics").
type Section struct {
	ID          int64
	ParentID    int64 // 0 for a top section
	Slug        string
	Path        string
	Name        string
	Description string
	Position    int
}

// Depth is 0 for a top section.
func (s Section) Depth() int { return strings.Count(s.Path, "/") }

// Validate checks a section's own fields.
func (s *Section) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" || utf8.RuneCountInString(s.Name) > 80 || !utf8.ValidString(s.Name) {
		return Invalid("name", "section name is required (at most 80 characters)")
	}
	if s.Slug == "" {
		s.Slug = Slugify(s.Name)
	}
	if !ValidSlug(s.Slug) {
		return Invalid("slug", "section slug must be lowercase letters, digits and hyphens")
	}
	if len(s.Description) > 1000 {
		return Invalid("description", "description is longer than 1000 bytes")
	}
	return nil
}

// Tree is the whole section tree, loaded once and kept in memory: it is
// small and read on every page.
type Tree struct {
	All      []Section // in display order: parents before children
	byPath   map[string]int
	byID     map[int64]int
	children map[int64][]int
}

// NewTree indexes sections (already ordered by position).
func NewTree(sections []Section) *Tree {
	t := &Tree{All: sections, byPath: map[string]int{}, byID: map[int64]int{}, children: map[int64][]int{}}
	for i, s := range sections {
		t.byPath[s.Path] = i
		t.byID[s.ID] = i
		t.children[s.ParentID] = append(t.children[s.ParentID], i)
	}
	return t
}

// ByPath finds a section by its path.
func (t *Tree) ByPath(p string) (Section, bool) {
	i, ok := t.byPath[strings.Trim(p, "/")]
	if !ok {
		return Section{}, false
	}
	return t.All[i], true
}

// ByID finds a section by id.
func (t *Tree) ByID(id int64) (Section, bool) {
	i, ok := t.byID[id]
	if !ok {
		return Section{}, false
	}
	return t.All[i], true
}

// Children lists the direct children of id (0: the top sections).
func (t *Tree) Children(id int64) []Section {
	out := make([]Section, 0, len(t.children[id]))
	for _, i := range t.children[id] {
		out = append(out, t.All[i])
	}
	return out
}

// Trail is the list of sections from the top down to id, inclusive.
func (t *Tree) Trail(id int64) []Section {
	var rev []Section
	for guard := 0; id != 0 && guard < 32; guard++ {
		s, ok := t.ByID(id)
		if !ok {
			break
		}
		rev = append(rev, s)
		id = s.ParentID
	}
	out := make([]Section, len(rev))
	for i := range rev {
		out[i] = rev[len(rev)-1-i]
	}
	return out
}

// Subtree lists id and all its descendants' ids.
func (t *Tree) Subtree(id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		for _, c := range t.children[out[i]] {
			out = append(out, t.All[c].ID)
		}
	}
	return out
}

// OrderSections sorts sections depth-first: each parent followed by its
// children in position (then name) order.
func OrderSections(all []Section) []Section {
	kids := map[int64][]Section{}
	for _, s := range all {
		kids[s.ParentID] = append(kids[s.ParentID], s)
	}
	for _, k := range kids {
		sort.SliceStable(k, func(i, j int) bool {
			if k[i].Position != k[j].Position {
				return k[i].Position < k[j].Position
			}
			return k[i].Name < k[j].Name
		})
	}
	out := make([]Section, 0, len(all))
	var walk func(id int64, depth int)
	walk = func(id int64, depth int) {
		if depth > 32 {
			return
		}
		for _, s := range kids[id] {
			out = append(out, s)
			walk(s.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}
