package editorial

import "byline/internal/news"

// Op is what a diff line does.
type Op byte

const (
	Same   Op = ' '
	Delete Op = '-'
	Insert Op = '+'
)

// DiffLine is one line of a line diff.
type DiffLine struct {
	Op   Op
	Text string
}

// Class is a CSS class name for the line's operation.
func (d DiffLine) Class() string {
	switch d.Op {
	case Delete:
		return "del"
	case Insert:
		return "ins"
	}
	return "same"
}

// Sign is "-", "+" or " ".
func (d DiffLine) Sign() string { return string(d.Op) }

// maxDiffCells bounds the LCS table; beyond it the diff falls back to
// "all old lines removed, all new lines added" rather than use gigabytes.
const maxDiffCells = 25_000_000

// LineDiff is a longest-common-subsequence diff of two line lists. Common
// head and tail lines are trimmed first, so typical edits (a paragraph
// changed in a long story) cost little.
func LineDiff(a, b []string) []DiffLine {
	var head, tail []DiffLine
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		head = append(head, DiffLine{Same, a[0]})
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		tail = append([]DiffLine{{Same, a[len(a)-1]}}, tail...)
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	out := head
	if (len(a)+1)*(len(b)+1) > maxDiffCells {
		for _, l := range a {
			out = append(out, DiffLine{Delete, l})
		}
		for _, l := range b {
			out = append(out, DiffLine{Insert, l})
		}
		return append(out, tail...)
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	n, m := len(a), len(b)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, DiffLine{Same, a[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, DiffLine{Delete, a[i]})
			i++
		default:
			out = append(out, DiffLine{Insert, b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, DiffLine{Delete, a[i]})
	}
	for ; j < m; j++ {
		out = append(out, DiffLine{Insert, b[j]})
	}
	return append(out, tail...)
}

// Changed reports whether a diff has any inserted or deleted line.
func Changed(d []DiffLine) bool {
	for _, l := range d {
		if l.Op != Same {
			return true
		}
	}
	return false
}

// DiffArticles is the line diff from old to new.
func DiffArticles(old, new news.Article) []DiffLine {
	return LineDiff(ArticleLines(old), ArticleLines(new))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
