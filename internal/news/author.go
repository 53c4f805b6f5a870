package news

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Author is a person (or a desk, such as the editorial board) who signs
// articles.
type Author struct {
	ID    int64
	Slug  string
	Name  string
	Title string // "Staff reporter"
	Email string
	Bio   string
	Photo *Image
}

// Validate checks an author's fields.
func (a *Author) Validate() error {
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" || utf8.RuneCountInString(a.Name) > 100 || !utf8.ValidString(a.Name) {
		return Invalid("name", "author name is required (at most 100 characters)")
	}
	if a.Slug == "" {
		a.Slug = Slugify(a.Name)
	}
	if !ValidSlug(a.Slug) {
		return Invalid("slug", "author slug must be lowercase letters, digits and hyphens")
	}
	if a.Email != "" {
		if _, err := mail.ParseAddress(a.Email); err != nil {
			return Invalid("email", "%q is not an e-mail address", a.Email)
		}
	}
	if len(a.Bio) > 4000 || !utf8.ValidString(a.Bio) {
		return Invalid("bio", "bio is longer than 4000 bytes or not UTF-8")
	}
	return nil
}
