package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"time"
)

// Config is how Byline reaches its SMTP submission server. Mail is off
// when Addr is empty.
type Config struct {
	Addr string // host:port, e.g. smtp.example.com:587
	// From is the sender, "Name <address>" or an address.
	From     string
	User     string // AUTH PLAIN when set (over TLS, or to localhost)
	Password string
	// Hello is the name given in EHLO (default: the From domain).
	Hello string
	// TLS is the STARTTLS configuration (nil: verify the server's
	// certificate for the host of Addr against the system roots).
	TLS     *tls.Config
	Timeout time.Duration // one whole submission (default 30 s)
}

// Enabled reports whether mail is configured.
func (c Config) Enabled() bool { return c.Addr != "" }

// Sender parses From.
func (c Config) Sender() (mail.Address, error) {
	a, err := mail.ParseAddress(c.From)
	if err != nil {
		return mail.Address{}, fmt.Errorf("smtp from %q: %w", c.From, err)
	}
	if err := checkAddress("From", a.Address); err != nil {
		return mail.Address{}, err
	}
	return *a, nil
}

// Validate checks the configuration at start-up.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || port == "" {
		return fmt.Errorf("smtp address %q is not host:port", c.Addr)
	}
	if c.From == "" {
		return errors.New("an SMTP server is set: give the sender's address too (--smtp-from)")
	}
	if _, err := c.Sender(); err != nil {
		return err
	}
	if c.User == "" && c.Password != "" {
		return errors.New("an SMTP password is set without a user (--smtp-user)")
	}
	return nil
}

// Permanent reports whether err is the server refusing the message for
// good (a 5xx reply): retrying will not help.
func Permanent(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 500 && te.Code < 600
}

// Send submits one message to one recipient: EHLO, STARTTLS when the
// server offers it, AUTH PLAIN when a user is set, MAIL, RCPT, DATA.
func Send(ctx context.Context, c Config, from, to string, msg []byte) error {
	return SendWith(ctx, c, from, to, msg, nil)
}

// SendWith is Send calling beforeData (when not nil) once the server has
// taken the recipient, just before the DATA command: from there on the
// server may keep the message whatever the client hears. An error from
// beforeData ends the conversation without sending anything.
func SendWith(ctx context.Context, c Config, from, to string, msg []byte, beforeData func() error) error {
	if !c.Enabled() {
		return errors.New("mail is not configured")
	}
	if err := checkAddress("envelope from", from); err != nil {
		return err
	}
	if err := checkAddress("envelope to", to); err != nil {
		return err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return err
	}
	dl, _ := ctx.Deadline()
	conn.SetDeadline(dl)
	// A cancelled context (shutdown) ends the conversation at once.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer cl.Close()
	hello := c.Hello
	if hello == "" {
		hello = Domain(from)
	}
	if err := cl.Hello(hello); err != nil {
		return err
	}
	if ok, _ := cl.Extension("STARTTLS"); ok {
		tc := c.TLS
		if tc == nil {
			tc = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		if err := cl.StartTLS(tc); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if c.User != "" {
		if ok, _ := cl.Extension("AUTH"); !ok {
			return errors.New("the SMTP server offers no AUTH, but a user is configured")
		}
		// PlainAuth itself refuses to send the password in the clear
		// except to localhost.
		if err := cl.Auth(smtp.PlainAuth("", c.User, c.Password, host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := cl.Mail(from); err != nil {
		return err
	}
	if err := cl.Rcpt(to); err != nil {
		return err
	}
	if beforeData != nil {
		if err := beforeData(); err != nil {
			cl.Reset()
			cl.Quit()
			return err
		}
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return cl.Quit()
}
