package auth

import (
	"context"

	"byline/internal/news"
)

// CreateUser adds a staff account with a hashed password.
func CreateUser(ctx context.Context, st news.NewsroomStore, email, name string, role news.Role, password string) (news.StaffUser, error) {
	u := news.StaffUser{Email: email, Name: name, Role: role}
	if err := u.Validate(); err != nil {
		return u, err
	}
	h, err := HashPassword(password)
	if err != nil {
		return u, err
	}
	u.PasswordHash = h
	return u, st.CreateStaff(ctx, &u)
}

// SetPassword replaces a user's password and ends their sessions.
func SetPassword(ctx context.Context, st news.NewsroomStore, u *news.StaffUser, password string) error {
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	if err := st.UpdateStaff(ctx, u); err != nil {
		return err
	}
	return st.DeleteUserSessions(ctx, u.ID)
}

// SetDisabled disables (ending every session) or re-enables an account.
func SetDisabled(ctx context.Context, st news.NewsroomStore, u *news.StaffUser, disabled bool) error {
	u.Disabled = disabled
	if err := st.UpdateStaff(ctx, u); err != nil {
		return err
	}
	if disabled {
		return st.DeleteUserSessions(ctx, u.ID)
	}
	return nil
}
