// Package dictionary owns the reader dictionary: an English lexicon derived
// from WordNet 3.0 and embedded in the binary, the lemmatiser that maps what
// a reader double-clicked ("banging", "held up", "Korea’s") to base forms
// the way WordNet's morphy does, the choice of expression and part of speech
// from the sentence around the word, spelling suggestions for unknown words,
// and parsers for bilingual dictionaries (TSV, StarDict, dictd).
//
// It knows nothing of HTTP or storage: the api package marshals its result
// types, and whoever stores bilingual entries gets them from the parsers as
// plain values.
//
// The lexicon is regenerated from Debian's wordnet-base files with
// go generate (see internal/gen); WORDNET-LICENSE must travel with it.
package dictionary

//go:generate go run ./internal/gen -wordnet /usr/share/wordnet -out lexicon.bin.gz
