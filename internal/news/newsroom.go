package news

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a staff member may do. Each role includes the ones below it.
type Role string

const (
	// RoleContributor writes drafts and submits them for review.
	RoleContributor Role = "contributor"
	// RoleEditor edits and publishes anything, corrects, moderates.
	RoleEditor Role = "editor"
	// RoleAdmin also manages users, sections and settings.
	RoleAdmin Role = "admin"
)

// Rank orders roles; an unknown role ranks below every known one.
func (r Role) Rank() int {
	switch r {
	case RoleContributor:
		return 1
	case RoleEditor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.Rank() > 0 }

// AtLeast reports whether r includes want.
func (r Role) AtLeast(want Role) bool { return r.Valid() && r.Rank() >= want.Rank() }

// StaffUser is a newsroom account.
type StaffUser struct {
	ID           int64
	Email        string // lowercased
	Name         string
	Role         Role
	PasswordHash string // argon2id, PHC string form
	Disabled     bool
	// TOTPSecret is set once two-factor sign-in is enrolled and confirmed.
	TOTPSecret string
	// AuthorID links the account to an author profile (0: none).
	AuthorID  int64
	CreatedAt time.Time
}

// Validate checks and normalises the fields of an account.
func (u *StaffUser) Validate() error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.TrimSpace(u.Name)
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
		return Invalid("email", "%q is not an e-mail address", u.Email)
	}
	if u.Name == "" || utf8.RuneCountInString(u.Name) > 100 || !utf8.ValidString(u.Name) {
		return Invalid("name", "name is required (at most 100 characters)")
	}
	if !u.Role.Valid() {
		return Invalid("role", "role must be contributor, editor or admin")
	}
	return nil
}

// Session is a signed-in browser. Only the hash of its id is stored, so a
// copy of the database does not let anyone sign in.
type Session struct {
	IDHash     string
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

// APIToken is an Admin API credential. Only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt time.Time
	Revoked    bool
}

// Revision is a full snapshot of an article taken at a change readers
// could see.
type Revision struct {
	ID        int64
	ArticleID int64
	UserID    int64
	UserName  string
	Note      string // "publish", "update", "restore of #12", …
	CreatedAt time.Time
	Snapshot  Article
}

// NewsroomStore keeps staff accounts, sessions, API tokens, login
// throttling counters, revisions, redirects and the scheduled-publishing
// claim. Engines implement it beside news.Store.
type NewsroomStore interface {
	CreateStaff(ctx context.Context, u *StaffUser) error
	UpdateStaff(ctx context.Context, u *StaffUser) error
	StaffByID(ctx context.Context, id int64) (StaffUser, error)
	StaffByEmail(ctx context.Context, email string) (StaffUser, error)
	ListStaff(ctx context.Context) ([]StaffUser, error)

	CreateSession(ctx context.Context, s *Session) error
	SessionByHash(ctx context.Context, hash string) (Session, error)
	TouchSession(ctx context.Context, hash string, at time.Time) error
	DeleteSession(ctx context.Context, hash string) error
	// DeleteUserSessions ends every session of a user ("log out everywhere").
	DeleteUserSessions(ctx context.Context, userID int64) error
	// DeleteExpiredSessions removes sessions idle since before idleBefore
	// or created before createdBefore, and says how many.
	DeleteExpiredSessions(ctx context.Context, idleBefore, createdBefore time.Time) (int, error)

	CreateToken(ctx context.Context, t *APIToken) error
	TokenByHash(ctx context.Context, hash string) (APIToken, error)
	ListTokens(ctx context.Context, userID int64) ([]APIToken, error)
	RevokeToken(ctx context.Context, id int64) error

	// RecordLoginFailure counts a failed sign-in under key ("email:…",
	// "ip:…"); CountLoginFailures counts those since a time.
	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error

	AddRevision(ctx context.Context, r *Revision) error
	// ListRevisions lists an article's revisions, newest first.
	ListRevisions(ctx context.Context, articleID int64) ([]Revision, error)
	RevisionByID(ctx context.Context, id int64) (Revision, error)

	// PutRedirect makes from answer with a 301 to to (replacing any
	// earlier target). RedirectFor finds the target of a path.
	PutRedirect(ctx context.Context, from, to string) error
	RedirectFor(ctx context.Context, from string) (string, error)

	// PublishDue publishes every scheduled article whose time has come and
	// returns the ids this call published. Each article is claimed by one
	// call only, however many servers run it at once.
	// A scheduled article whose embargo has also passed loses the embargo
	// (see LiftEmbargoes).
	PublishDue(ctx context.Context, now time.Time) ([]int64, error)
	// LiftEmbargoes claims every published article whose embargo has
	// passed, clears the embargo and returns the ids this call claimed:
	// exactly one caller, on any server, announces each to the outside.
	LiftEmbargoes(ctx context.Context, now time.Time) ([]int64, error)
	// NextDue is the earliest time a scheduled article is due or an
	// embargo on a published article ends; zero when there is none.
	NextDue(ctx context.Context) (time.Time, error)
}

// Redirect sends an old path to a new one with a 301.
type Redirect struct {
	From, To string
}

// Validate checks both are site paths and that the redirect goes
// somewhere else.
func (r Redirect) Validate() error {
	if !strings.HasPrefix(r.From, "/") || !strings.HasPrefix(r.To, "/") || len(r.From) > 2000 || len(r.To) > 2000 {
		return Invalid("path", "redirect paths must start with /")
	}
	if r.From == r.To {
		return Invalid("path", "a redirect cannot point at itself")
	}
	return nil
}
