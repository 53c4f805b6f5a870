// Package auth owns staff authentication: argon2id password hashes,
// sessions kept in the database (so several servers share them), login
// throttling, optional TOTP two-factor sign-in, CSRF tokens, and Admin API
// tokens. Reader social login lives in internal/readerauth.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"byline/internal/news"
)

// Params are argon2id cost parameters. They are stored in every hash, so
// raising them later only affects new passwords.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
}

// DefaultParams: 32 MiB, one pass, two lanes. A sign-in costs 26-73 ms
// on a shared 2-core server (BenchmarkLogin; docs/newsroom.md), under the
// 100 ms we allow a person to wait, while every guess against a stolen
// hash costs an attacker 32 MiB of memory.
var DefaultParams = Params{Memory: 32 * 1024, Time: 1, Threads: 2, KeyLen: 32}

// Password length limits. The upper limit stops hashing megabytes.
const (
	MinPassword = 8
	MaxPassword = 1024
)

// CheckPassword refuses passwords that are too short or too long.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPassword {
		return news.Invalid("password", "the password must have at least %d characters", MinPassword)
	}
	if len(pw) > MaxPassword || !utf8.ValidString(pw) {
		return news.Invalid("password", "the password is longer than %d bytes or not valid text", MaxPassword)
	}
	return nil
}

// HashPassword hashes pw with DefaultParams into the PHC string form
// $argon2id$v=19$m=65536,t=1,p=4$salt$hash.
func HashPassword(pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	return DefaultParams.hash(pw), nil
}

func (p Params) hash(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether pw matches the stored hash.
func VerifyPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(pw) > MaxPassword {
		return false
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	// Refuse absurd stored parameters rather than allocate gigabytes.
	if p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// GeneratePassword makes a random password of 20 URL-safe characters
// (120 bits).
func GeneratePassword() string {
	b := make([]byte, 15)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// dummyHash is verified against when an account does not exist, so that
// a wrong e-mail costs as long as a wrong password.
var dummyHash = sync.OnceValue(func() string { return DefaultParams.hash("not a real password, only for timing") })
