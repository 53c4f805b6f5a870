package site

// Base builds the layout data of a page for features that render their
// own reader pages (comments: policy, help, my account) through the same
// templates and layout.
func (s *Site) Base(title, description, canonicalPath string) Base {
	return s.base(title, description, canonicalPath)
}
