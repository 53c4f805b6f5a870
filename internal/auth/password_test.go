package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHashAndVerify(t *testing.T) {
	h, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=32768,t=1,p=2$") {
		t.Errorf("hash %q, want the PHC argon2id form with the default parameters", h)
	}
	h2, _ := HashPassword("correct horse")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt missing")
	}
	if !VerifyPassword(h, "correct horse") || VerifyPassword(h, "correct horsE") || VerifyPassword(h, "") {
		t.Error("verify accepts the wrong password or refuses the right one")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=65536,t=1,p=4$AAAA$AAAA", "$argon2id$v=19$m=99999999,t=1,p=4$AAAA$AAAA", "$argon2id$v=19$m=65536,t=1,p=4$!!$AAAA"} {
		if VerifyPassword(bad, "x") {
			t.Errorf("verify accepted malformed hash %q", bad)
		}
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("a 5-character password was accepted")
	}
	if _, err := HashPassword(strings.Repeat("x", MaxPassword+1)); err == nil {
		t.Error("an over-long password was accepted")
	}
}

func TestTOTPRejectsJunk(t *testing.T) {
	if ValidateTOTP("JBSWY3DPEHPK3PXP", "12345", time.Now()) || ValidateTOTP("JBSWY3DPEHPK3PXP", "abcdef", time.Now()) {
		t.Error("malformed codes accepted")
	}
}

// BenchmarkLogin is the cost of one password check, the bulk of a
// sign-in (figure in docs/newsroom.md).
func BenchmarkLogin(b *testing.B) {
	h, _ := HashPassword("correct horse")
	for b.Loop() {
		VerifyPassword(h, "correct horse")
	}
}
