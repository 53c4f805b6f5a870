package readerauth

import "byline/internal/comments"

func normalizeName(s string) (string, error) { return comments.NormalizeName(s) }
