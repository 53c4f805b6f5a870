package editorial

import (
	"context"

	"byline/internal/news"
)

// Sections lists the section tree in display order.
func (s *Service) Sections(ctx context.Context) (*news.Tree, error) {
	all, err := s.d.Store.ListSections(ctx)
	if err != nil {
		return nil, err
	}
	return news.NewTree(all), nil
}

// SectionByPath finds a section by its path ("national/politics").
func (s *Service) SectionByPath(ctx context.Context, path string) (news.Section, error) {
	t, err := s.Sections(ctx)
	if err != nil {
		return news.Section{}, err
	}
	sec, ok := t.ByPath(path)
	if !ok {
		return sec, news.Invalid("section", "there is no section %q", path)
	}
	return sec, nil
}

// CreateSection adds a section (admins only).
func (s *Service) CreateSection(ctx context.Context, u news.StaffUser, sec *news.Section) error {
	if err := forbid(u, news.RoleAdmin, "manage sections"); err != nil {
		return err
	}
	if err := s.d.Store.CreateSection(ctx, sec); err != nil {
		return err
	}
	s.d.Notifier.Notify(ctx, news.Change{Kind: news.ChangeSections})
	return nil
}

// UpdateSection renames, moves or reorders a section (admins only). When
// paths change, the old section URLs of the whole subtree redirect to the
// new ones.
func (s *Service) UpdateSection(ctx context.Context, u news.StaffUser, sec *news.Section) error {
	if err := forbid(u, news.RoleAdmin, "manage sections"); err != nil {
		return err
	}
	before, err := s.Sections(ctx)
	if err != nil {
		return err
	}
	if _, ok := before.ByID(sec.ID); !ok {
		return news.NotFound("section")
	}
	sub := before.Subtree(sec.ID)
	if err := s.d.Store.UpdateSection(ctx, sec); err != nil {
		return err
	}
	after, err := s.Sections(ctx)
	if err != nil {
		return err
	}
	for _, id := range sub {
		old, _ := before.ByID(id)
		now, ok := after.ByID(id)
		if ok && old.Path != now.Path {
			if err := s.d.Staff.PutRedirect(ctx, old.URL(), now.URL()); err != nil {
				return err
			}
		}
	}
	s.d.Notifier.Notify(ctx, news.Change{Kind: news.ChangeSections})
	return nil
}

// SaveAuthor creates (ID 0) or updates an author profile (editors and up).
func (s *Service) SaveAuthor(ctx context.Context, u news.StaffUser, a *news.Author) error {
	if err := forbid(u, news.RoleEditor, "manage authors"); err != nil {
		return err
	}
	var err error
	if a.ID == 0 {
		err = s.d.Store.CreateAuthor(ctx, a)
	} else {
		err = s.d.Store.UpdateAuthor(ctx, a)
	}
	if err != nil {
		return err
	}
	s.d.Notifier.Notify(ctx, news.Change{Kind: news.ChangeContent})
	return nil
}
