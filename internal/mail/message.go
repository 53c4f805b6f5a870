// Package mail sends Byline's e-mail: notices to commenters (decisions
// on their comments, appeal outcomes) and address confirmations. A
// message is composed whole (plain text, UTF-8, RFC 5322 headers with
// RFC 2047 encoded words), stored in the database's outbox, and sent by
// a worker over SMTP submission (net/smtp: STARTTLS when the server
// offers it, AUTH PLAIN when configured) with retries and back-off. So a
// moderator's decision never waits on the mail server, an outage loses
// nothing, and several servers share the outbox without sending a
// message twice at once. Nothing is sent when no SMTP server is set.
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"byline/internal/news"
)

// Message is one plain-text message.
type Message struct {
	From      mail.Address
	To        mail.Address
	Subject   string
	Body      string
	Date      time.Time
	MessageID string // "<id@domain>"; empty: a new one
	// Headers are extra header fields (List-Unsubscribe and the like);
	// a name or value with a line break is refused.
	Headers [][2]string
}

// NewMessageID makes a Message-ID at the sender's domain.
func NewMessageID(from string) string {
	b := make([]byte, 12)
	rand.Read(b)
	return "<" + hex.EncodeToString(b) + "@" + Domain(from) + ">"
}

// Domain is the domain of an address ("localhost" when it has none).
func Domain(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return strings.Trim(addr[i+1:], "<> ")
	}
	return "localhost"
}

// cleanText turns every control character (line breaks included) into a
// space: display names and subjects are one line of text, never a way
// to start a new header.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// checkAddress refuses an envelope or header address that is not one
// plain address.
func checkAddress(field, addr string) error {
	if _, err := news.ParseNoticeAddress(addr); err != nil {
		return fmt.Errorf("%s address %q: %w", field, addr, err)
	}
	return nil
}

// encodePhrase is a display name or subject as header text: ASCII as it
// is (folded at spaces), anything else as RFC 2047 encoded words in
// base64 (which keeps Korean shortest), each of at most 60 octets and on
// its own folded line, so that no line passes 78 octets.
func encodePhrase(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return foldWords(s)
	}
	var words []string
	for len(s) > 0 {
		n := 0
		for n < len(s) {
			_, size := utf8.DecodeRuneInString(s[n:])
			if n+size > 36 {
				break
			}
			n += size
		}
		words = append(words, "=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, "\r\n ")
}

// foldWords folds plain ASCII text at spaces to lines of at most 76.
func foldWords(s string) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			if line+1+len(w) > 76 {
				b.WriteString("\r\n ")
				line = 1
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

func formatAddress(a mail.Address) string {
	name := cleanText(a.Name)
	if name == "" {
		return "<" + a.Address + ">"
	}
	for i := 0; i < len(name); i++ {
		if name[i] >= 0x80 {
			return encodePhrase(name) + "\r\n <" + a.Address + ">"
		}
	}
	// net/mail quotes an ASCII name as needed; the name is one line.
	return (&mail.Address{Name: name, Address: a.Address}).String()
}

// Bytes is the message as sent: CRLF line ends, headers then a
// quoted-printable UTF-8 body.
func (m Message) Bytes() ([]byte, error) {
	if err := checkAddress("From", m.From.Address); err != nil {
		return nil, err
	}
	if err := checkAddress("To", m.To.Address); err != nil {
		return nil, err
	}
	if m.MessageID == "" {
		m.MessageID = NewMessageID(m.From.Address)
	}
	if strings.ContainsAny(m.MessageID, "\r\n \t") || !strings.HasPrefix(m.MessageID, "<") || !strings.HasSuffix(m.MessageID, ">") {
		return nil, fmt.Errorf("message id %q is not <id@domain>", m.MessageID)
	}
	if m.Date.IsZero() {
		m.Date = time.Now()
	}
	var b bytes.Buffer
	h := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	h("Date", m.Date.Format(time.RFC1123Z))
	h("From", formatAddress(m.From))
	h("To", formatAddress(m.To))
	h("Subject", encodePhrase(cleanText(m.Subject)))
	h("Message-ID", m.MessageID)
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=UTF-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	h("Auto-Submitted", "auto-generated")
	for _, x := range m.Headers {
		name, value := x[0], x[1]
		if name == "" || strings.ContainsAny(name, ": \t\r\n") || strings.ContainsAny(value, "\r\n") {
			return nil, fmt.Errorf("header %q is not one line", name)
		}
		for _, r := range name {
			if r < 33 || r > 126 {
				return nil, fmt.Errorf("header name %q is not printable ASCII", name)
			}
		}
		h(name, value)
	}
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\r", "\n")
	if !utf8.ValidString(body) {
		body = strings.ToValidUTF8(body, "\uFFFD")
	}
	qp := quotedprintable.NewWriter(&b)
	// The writer turns "\n" into CRLF (text mode).
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes(), nil
}
