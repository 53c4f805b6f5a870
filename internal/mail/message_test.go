package mail

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, raw []byte) *mail.Message {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, raw)
	}
	return m
}

// TestMessageKorean: a Korean subject and name are RFC 2047 encoded
// words that decode back exactly; the body is quoted-printable UTF-8;
// the required headers are there; no line passes 78 octets.
func TestMessageKorean(t *testing.T) {
	subject := "댓글 처리 안내: 결정 3f2a — 규정 제3조에 따라 삭제되었습니다 (이의 신청은 6개월 이내에 하실 수 있습니다)"
	body := "김지원 님,\n\n작성하신 댓글이 삭제되었습니다.\n" + strings.Repeat("가", 120) + "\n"
	date := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
	raw, err := Message{From: mail.Address{Name: "바이라인 데일리", Address: "news@byline.example"}, To: mail.Address{Name: "김지원", Address: "jiwon@example.com"},
		Subject: subject, Body: body, Date: date, MessageID: "<n-1@byline.example>"}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
	}
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a bare LF in the message")
	}
	m := parse(t, raw)
	dec := new(mime.WordDecoder)
	if got, err := dec.DecodeHeader(m.Header.Get("Subject")); err != nil || got != subject {
		t.Errorf("subject decodes to %q (%v), want %q", got, err, subject)
	}
	if strings.ContainsFunc(m.Header.Get("Subject"), func(r rune) bool { return r > 127 }) {
		t.Error("raw 8-bit text in the Subject header")
	}
	from, err := m.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "바이라인 데일리" || from[0].Address != "news@byline.example" {
		t.Errorf("From = %v (%v)", from, err)
	}
	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "김지원" || to[0].Address != "jiwon@example.com" {
		t.Errorf("To = %v (%v)", to, err)
	}
	if d, err := m.Header.Date(); err != nil || !d.Equal(date) {
		t.Errorf("Date = %v (%v), want %v", d, err, date)
	}
	for h, want := range map[string]string{"Message-Id": "<n-1@byline.example>", "Mime-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
		"Content-Transfer-Encoding": "quoted-printable", "Auto-Submitted": "auto-generated"} {
		if got := m.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(string(b), "\r\n", "\n"); got != body {
		t.Errorf("body decodes to %q, want %q", got, body)
	}
}

// TestMessageHostile: a name or subject with line breaks stays one
// header (no injected Bcc), an address with a line break or several
// addresses is refused, and extra headers with line breaks are refused.
func TestMessageHostile(t *testing.T) {
	from := mail.Address{Name: "Byline", Address: "news@byline.example"}
	raw, err := Message{From: from, To: mail.Address{Name: "Eve\r\nBcc: victim@example.com\r\n", Address: "eve@example.com"},
		Subject: "Hello\r\nBcc: victim@example.com\n\nInjected body", Body: "x"}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	m := parse(t, raw)
	if got := m.Header.Get("Bcc"); got != "" {
		t.Errorf("injected Bcc header: %q", got)
	}
	if len(m.Header) != 9 {
		t.Errorf("%d header fields, want 9: %v", len(m.Header), m.Header)
	}
	if got := m.Header.Get("Subject"); got != "Hello Bcc: victim@example.com Injected body" {
		t.Errorf("subject = %q, want the text on one line", got)
	}
	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "eve@example.com" {
		t.Errorf("To = %v (%v), want only eve@example.com", to, err)
	}
	for _, bad := range []string{"eve@example.com\r\nBcc: victim@example.com", "a@example.com, b@example.com", "Eve <eve@example.com>", "eve", "", "eve@example.com\x00"} {
		if _, err := (Message{From: from, To: mail.Address{Address: bad}, Subject: "s", Body: "b"}).Bytes(); err == nil {
			t.Errorf("To %q was accepted", bad)
		}
	}
	for _, h := range [][2]string{{"List-Unsubscribe", "<https://x>\r\nBcc: v@example.com"}, {"Bad Name", "v"}, {"X:Y", "v"}, {"", "v"}} {
		if _, err := (Message{From: from, To: mail.Address{Address: "a@example.com"}, Subject: "s", Body: "b", Headers: [][2]string{h}}).Bytes(); err == nil {
			t.Errorf("header %q was accepted", h)
		}
	}
	if _, err := (Message{From: from, To: mail.Address{Address: "a@example.com"}, MessageID: "<a@b>\r\nBcc: v@example.com"}).Bytes(); err == nil {
		t.Error("a Message-ID with a line break was accepted")
	}
}

// TestConfigValidate: refusals of a half configuration.
func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{Addr: "smtp.example.com"},
		{Addr: "smtp.example.com:587"},
		{Addr: "smtp.example.com:587", From: "not an address"},
		{Addr: "smtp.example.com:587", From: "a@example.com", Password: "p"},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v was accepted", c)
		}
	}
	for _, c := range []Config{{}, {Addr: "smtp.example.com:587", From: "Byline <news@byline.example>", User: "u", Password: "p"}} {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
}
