package comments

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"byline/internal/mail"
	"byline/internal/news"
)

// Notices by e-mail (issue 16): a decision on a reader's comment (held,
// rejected, removed), a ban, and an appeal's outcome are sent to the
// reader's notice address, with the statement of reasons, in the
// reader's language. The message is stored in the outbox in the very
// transaction that stores the decision (withNotice: a database write,
// never a wait on the mail server); the outbox's worker sends it within
// seconds.

// ConfirmTTL is how long an address confirmation link works.
const ConfirmTTL = 48 * time.Hour

// UnsubscribeTTL is how long the unsubscribe link of a notice (and its
// one-click List-Unsubscribe-Post, RFC 8058) works. After it, the page
// offers to sign in and change the notices on the account page: an old
// link found in a forwarded or leaked message no longer acts for the
// reader.
const UnsubscribeTTL = 90 * 24 * time.Hour

// ErrLinkExpired is wrapped in the error of a signed link that is
// genuine but past its time (or, for an unsubscribe link, made before
// links had one), so that pages can say so rather than "not valid".
var ErrLinkExpired = errors.New("the link has expired")

// MailEnabled reports whether notices are sent by e-mail at all.
func (s *Service) MailEnabled() bool { return s.mail.Enabled() }

// token is a signed link for one reader and one purpose ("confirm" an
// address, "unsub"scribe): the payload and an HMAC-SHA256 under the
// reader's own key (kept with the reader, so every server can check it,
// and a deleted reader's links die with them).
func (s *Service) token(ctx context.Context, readerID int64, purpose, addr string, exp time.Time) (string, error) {
	k := make([]byte, 32)
	rand.Read(k)
	key, err := s.store.NoticeKey(ctx, readerID, hex.EncodeToString(k))
	if err != nil {
		return "", err
	}
	var e int64
	if !exp.IsZero() {
		e = exp.Unix()
	}
	payload := purpose + "|" + itoa(readerID) + "|" + strconv.FormatInt(e, 10) + "|" + addr
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + sign(key, payload), nil
}

func sign(key, payload string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkToken verifies a link and returns its reader and address.
func (s *Service) checkToken(ctx context.Context, tok, purpose string) (news.Reader, string, error) {
	bad := news.Errorf(news.KindInvalid, "this link is not valid; it may be incomplete or out of date")
	p64, sig, ok := strings.Cut(tok, ".")
	if !ok || len(tok) > 1000 {
		return news.Reader{}, "", bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(p64)
	if err != nil {
		return news.Reader{}, "", bad
	}
	parts := strings.SplitN(string(raw), "|", 4)
	if len(parts) != 4 || parts[0] != purpose {
		return news.Reader{}, "", bad
	}
	id, err1 := strconv.ParseInt(parts[1], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return news.Reader{}, "", bad
	}
	r, err := s.store.ReaderByID(ctx, id)
	if news.IsNotFound(err) {
		return r, "", bad
	}
	if err != nil {
		return r, "", err
	}
	k := make([]byte, 32)
	rand.Read(k)
	key, err := s.store.NoticeKey(ctx, id, hex.EncodeToString(k))
	if err != nil {
		return r, "", err
	}
	if !hmac.Equal([]byte(sign(key, string(raw))), []byte(sig)) {
		return r, "", bad
	}
	// A link without a time is an unsubscribe link of a release before
	// UnsubscribeTTL: expired too.
	if exp == 0 || s.now().Unix() > exp {
		return r, "", &news.Error{Kind: news.KindInvalid, Message: "this link has expired; ask for a new one on your account page", Err: ErrLinkExpired}
	}
	return r, parts[3], nil
}

// RequestNoticeEmail sends a confirmation link to an address the reader
// typed; notices go there only once the link is followed. At most three
// requests an hour per reader.
func (s *Service) RequestNoticeEmail(ctx context.Context, r news.Reader, addr, lang string) error {
	if !s.MailEnabled() {
		return news.Errorf(news.KindConflict, "this site does not send e-mail")
	}
	addr, err := news.ParseNoticeAddress(addr)
	if err != nil {
		return err
	}
	lang = normLang(lang)
	if err := s.store.SetReaderLang(ctx, r.ID, lang); err != nil {
		return err
	}
	if ok, err := s.allow(ctx, s.byReader, "mail:"+itoa(r.ID), s.now(), 0.05, 3); err != nil || !ok {
		if err != nil {
			return err
		}
		return news.Errorf(news.KindTooMany, "you asked for several confirmation messages already; please try again in an hour")
	}
	tok, err := s.token(ctx, r.ID, "confirm", addr, s.now().Add(ConfirmTTL))
	if err != nil {
		return err
	}
	t := noticeText[lang]
	link := s.baseURL + "/account/email/confirm?t=" + tok
	body := fmt.Sprintf(t["confirmBody"], r.Name, s.siteName, addr, link, int(ConfirmTTL.Hours()))
	return s.mail.Queue(ctx, mail.Item{ReaderID: r.ID, Kind: "confirm", To: netmail.Address{Name: r.Name, Address: addr},
		Subject: fmt.Sprintf(t["confirmSubject"], s.siteName), Body: body})
}

// ConfirmNoticeEmail follows a confirmation link: the address becomes
// the reader's notice address.
func (s *Service) ConfirmNoticeEmail(ctx context.Context, tok string) (news.Reader, error) {
	r, addr, err := s.checkToken(ctx, tok, "confirm")
	if err != nil {
		return r, err
	}
	if err := s.store.SetNoticeEmail(ctx, r.ID, addr, false); err != nil {
		return r, err
	}
	r.NoticeEmail, r.NoticeOff = addr, false
	return r, nil
}

// ClearNoticeEmail stops notices to the signed-in reader.
func (s *Service) ClearNoticeEmail(ctx context.Context, r news.Reader) error {
	return s.store.SetNoticeEmail(ctx, r.ID, "", true)
}

// Unsubscribe follows the link in a notice: no more notices, and the
// provider's address is not taken again at the next sign-in.
func (s *Service) Unsubscribe(ctx context.Context, tok string) (news.Reader, error) {
	r, _, err := s.checkToken(ctx, tok, "unsub")
	if err != nil {
		return r, err
	}
	return r, s.store.SetNoticeEmail(ctx, r.ID, "", true)
}

// CheckUnsubscribe verifies an unsubscribe link without using it (the
// page that asks "stop notices?").
func (s *Service) CheckUnsubscribe(ctx context.Context, tok string) (news.Reader, error) {
	r, _, err := s.checkToken(ctx, tok, "unsub")
	return r, err
}

func normLang(l string) string {
	if l == "ko" {
		return "ko"
	}
	return "en"
}

// withNotice readies the notice of decision e to its reader, when mail
// is on and the reader has a notice address. What needs the store (the
// reader, the comment and its article's headline, the clause's title,
// the reader's link key) is read now; e.Notice composes the message
// inside the decision's transaction, where the store puts it in the
// outbox with the decision (news.ModerationEntry.Notice): a decision
// never stands without its notice. An error here refuses the decision,
// which would otherwise stand untold; mail being down is no error (the
// notice waits in the outbox). bannedUntil is a ban's end (the reader's
// row still has the old one).
func (s *Service) withNotice(ctx context.Context, e *news.ModerationEntry, c *news.Comment, bannedUntil time.Time) error {
	if !s.MailEnabled() || e.ReaderID == 0 || e.DecisionID == "" {
		return nil
	}
	r, err := s.store.ReaderByID(ctx, e.ReaderID)
	if news.IsNotFound(err) {
		return nil // no one to tell (the store refuses the decision itself)
	}
	if err != nil {
		return fmt.Errorf("notice: %w", err)
	}
	if r.NoticeEmail == "" || r.NoticeOff {
		return nil
	}
	review := (e.Action == "uphold" || e.Action == "reverse") && e.Ref != ""
	var orig news.ModerationEntry // the decision an appeal's outcome is about
	if review {
		if o, err := s.store.DecisionByID(ctx, e.Ref); err == nil {
			orig = o
		} else {
			review = false
		}
	}
	if review && c == nil && orig.CommentID != 0 {
		if cc, err := s.store.CommentByID(ctx, orig.CommentID); err == nil {
			c = &cc
		}
	}
	headline := ""
	if c != nil {
		if a, err := s.store.ArticleByID(ctx, c.ArticleID); err == nil {
			headline = a.Headline
		}
	}
	pol, title := e.PolicyVersion, ""
	clause := e.Clause
	if review {
		pol, clause = orig.PolicyVersion, orig.Clause
	}
	if pv, err := s.policyVersion(ctx, pol); err == nil {
		if cl, ok := pv.Clause(clause); ok {
			title = " (" + cl.Title + ")"
		}
	}
	tok, err := s.token(ctx, r.ID, "unsub", "", s.now().Add(UnsubscribeTTL))
	if err != nil {
		return fmt.Errorf("notice: %w", err)
	}
	if bannedUntil.IsZero() {
		bannedUntil = r.BannedUntil
	}
	var cc *news.Comment
	if c != nil {
		c2 := *c
		cc = &c2
	}
	e.Notice = func(e news.ModerationEntry) (*news.OutboxMail, error) {
		o := e
		if review {
			o = orig
		}
		m, err := s.mail.Compose(s.noticeItem(r, e, o, cc, headline, title, tok, bannedUntil))
		return &m, err
	}
	return nil
}

// noticeQueued wakes the outbox's worker once decision e is stored with
// its notice.
func (s *Service) noticeQueued(e *news.ModerationEntry) {
	if e != nil && e.Notice != nil {
		s.mail.Wake()
	}
}

// noticeItem writes the notice of decision e (orig: the decision it is
// about, e itself but for an appeal's outcome) to reader r. It uses no
// store: it runs inside the decision's transaction.
func (s *Service) noticeItem(r news.Reader, e, orig news.ModerationEntry, c *news.Comment, headline, title, tok string, bannedUntil time.Time) mail.Item {
	lang := normLang(r.Lang)
	t := noticeText[lang]
	var b strings.Builder
	fmt.Fprintf(&b, t["hello"]+"\n\n", r.Name)
	what := t["what-"+e.Action]
	if e.Action == "ban" {
		what = fmt.Sprintf(what, bannedUntil.UTC().Format("2006-01-02 15:04 UTC"))
	}
	switch {
	case c != nil && headline != "":
		fmt.Fprintf(&b, t["onArticle"]+"\n\n", what, headline)
	default:
		b.WriteString(what + "\n\n")
	}
	if c != nil && c.Body != "" {
		body := []rune(c.Body)
		if len(body) > 280 {
			body = append(body[:280], '…')
		}
		b.WriteString("  “" + strings.ReplaceAll(string(body), "\n", "\n   ") + "”\n\n")
	}
	if e.Action == "uphold" || e.Action == "reverse" {
		fmt.Fprintf(&b, t["reviewReply"]+"\n\n", e.Note)
		fmt.Fprintf(&b, "%s %s\n\n", t["reviewID"], e.DecisionID)
	}
	b.WriteString(t["reasonsH"] + "\n")
	fmt.Fprintf(&b, "%s %s\n", t["decision"], orig.DecisionID)
	fmt.Fprintf(&b, "%s %s\n", t["date"], orig.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "%s %s\n", t["clause"], fmt.Sprintf(t["clauseOf"], orig.Clause, orig.PolicyVersion, title))
	fmt.Fprintf(&b, "%s %s\n", t["facts"], orig.Note)
	if orig.Automatic {
		fmt.Fprintf(&b, "%s %s\n", t["how"], t["automatic"])
	} else {
		fmt.Fprintf(&b, "%s %s\n", t["how"], t["byModerator"])
	}
	b.WriteString(t["policy"] + " " + s.baseURL + "/comments/policy?version=" + strconv.Itoa(orig.PolicyVersion) + "\n\n")
	anchor := "#ban"
	if orig.CommentID != 0 {
		anchor = "#comment-" + itoa(orig.CommentID)
	}
	switch {
	case e.Action == "hold":
		b.WriteString(t["holdNext"] + "\n")
		b.WriteString(s.baseURL + "/account" + anchor + "\n")
	case Appealable(e.Action):
		until := e.CreatedAt.Add(news.AppealWindow).UTC().Format("2006-01-02")
		fmt.Fprintf(&b, t["appealUntil"]+"\n", until)
		b.WriteString(s.baseURL + "/account" + anchor + "\n")
	default:
		b.WriteString(t["seeAccount"] + "\n" + s.baseURL + "/account" + anchor + "\n")
	}
	unsub := s.baseURL + "/account/email/unsubscribe?t=" + tok
	fmt.Fprintf(&b, "\n-- \n"+t["footer"]+"\n%s\n", s.siteName, r.NoticeEmail, unsub)
	subject := fmt.Sprintf(t["subject-"+e.Action], s.siteName)
	return mail.Item{ReaderID: r.ID, Kind: "notice", Ref: e.DecisionID, To: netmail.Address{Name: r.Name, Address: r.NoticeEmail},
		Subject: subject, Body: b.String(), MessageID: s.mail.MessageIDFor("notice-" + e.DecisionID),
		Headers: [][2]string{{"List-Unsubscribe", "<" + unsub + ">"}, {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}}}
}

// policyVersion is the policy as it was at version v.
func (s *Service) policyVersion(ctx context.Context, v int) (news.PolicyVersion, error) {
	if p := s.Policy(); p.Version == v {
		return p, nil
	}
	return s.store.PolicyVersionByNumber(ctx, v)
}

// noticeText is the notices' words in English and Korean (the comment
// box's languages).
var noticeText = map[string]map[string]string{
	"en": {
		"hello":           "Hello %s,",
		"what-hold":       "Your comment is waiting for a moderator before it appears",
		"what-reject":     "A moderator did not publish your comment",
		"what-remove":     "A moderator removed your comment",
		"what-delete":     "A moderator removed your comment",
		"what-ban":        "A moderator barred you from commenting until %s.",
		"what-uphold":     "Your appeal was reviewed by a second moderator: the decision stands",
		"what-reverse":    "Your appeal was reviewed by a second moderator: the decision was reversed",
		"onArticle":       "%s on “%s”:",
		"reviewReply":     "The reviewer's reasons: %s",
		"reviewID":        "Review decision:",
		"reasonsH":        "Statement of reasons",
		"decision":        "Decision:",
		"date":            "Date:",
		"clause":          "Clause:",
		"clauseOf":        "%[1]s%[3]s of the Standards Board Policy, version %[2]d",
		"facts":           "Facts:",
		"how":             "Made:",
		"automatic":       "automatically, by the site's rules",
		"byModerator":     "by a moderator",
		"policy":          "The policy:",
		"holdNext":        "You need do nothing: a moderator will publish or reject it, and you will be told. See it on your account page:",
		"appealUntil":     "You can appeal this decision, free of charge, until %s; a moderator other than the one who decided reviews it. Appeal on your account page:",
		"seeAccount":      "See it on your account page:",
		"footer":          "You get this notice from %s because %s is your address for notices about your comments. To stop them:",
		"subject-hold":    "%s: your comment waits for a moderator",
		"subject-reject":  "%s: your comment was not published",
		"subject-remove":  "%s: your comment was removed",
		"subject-delete":  "%s: your comment was removed",
		"subject-ban":     "%s: you may not comment for a time",
		"subject-uphold":  "%s: your appeal was reviewed (the decision stands)",
		"subject-reverse": "%s: your appeal was reviewed (the decision was reversed)",
		"confirmSubject":  "%s: confirm your address for comment notices",
		"confirmBody": "Hello %s,\n\nSomeone (we hope you) asked %s to send notices about your comments to %s.\n\nTo confirm, open this link:\n%s\n\n" +
			"The link works for %d hours. If you did not ask for this, ignore this message: nothing will be sent.\n",
	},
	"ko": {
		"hello":           "%s 님, 안녕하세요.",
		"what-hold":       "작성하신 댓글은 운영자 검토 후 게시됩니다",
		"what-reject":     "운영자가 작성하신 댓글을 게시하지 않았습니다",
		"what-remove":     "운영자가 작성하신 댓글을 삭제했습니다",
		"what-delete":     "운영자가 작성하신 댓글을 삭제했습니다",
		"what-ban":        "운영자가 %s까지 댓글 작성을 제한했습니다.",
		"what-uphold":     "다른 운영자가 이의 신청을 검토했습니다: 결정이 유지됩니다",
		"what-reverse":    "다른 운영자가 이의 신청을 검토했습니다: 결정이 취소되었습니다",
		"onArticle":       "%s — 기사 「%s」:",
		"reviewReply":     "검토 의견: %s",
		"reviewID":        "검토 결정 번호:",
		"reasonsH":        "결정 이유",
		"decision":        "결정 번호:",
		"date":            "일시:",
		"clause":          "조항:",
		"clauseOf":        "기사윤리위원회 규정 제%[1]s조%[3]s, 판 %[2]d",
		"facts":           "사실:",
		"how":             "처리:",
		"automatic":       "사이트 규칙에 따른 자동 처리",
		"byModerator":     "운영자",
		"policy":          "기사윤리위원회 규정:",
		"holdNext":        "따로 하실 일은 없습니다. 운영자가 게시 또는 거부하면 알려 드립니다. 내 계정에서 확인하세요:",
		"appealUntil":     "%s까지 무료로 이의를 신청할 수 있으며, 결정한 운영자가 아닌 다른 운영자가 검토합니다. 내 계정에서 신청하세요:",
		"seeAccount":      "내 계정에서 확인하세요:",
		"footer":          "%s에서 보내는 안내입니다. %s 주소로 댓글 관련 안내를 받도록 설정되어 있습니다. 수신을 중단하려면:",
		"subject-hold":    "%s: 댓글이 검토를 기다리고 있습니다",
		"subject-reject":  "%s: 댓글이 게시되지 않았습니다",
		"subject-remove":  "%s: 댓글이 삭제되었습니다",
		"subject-delete":  "%s: 댓글이 삭제되었습니다",
		"subject-ban":     "%s: 댓글 작성이 제한되었습니다",
		"subject-uphold":  "%s: 이의 신청 검토 결과 (결정 유지)",
		"subject-reverse": "%s: 이의 신청 검토 결과 (결정 취소)",
		"confirmSubject":  "%s: 댓글 안내 받을 주소를 확인해 주세요",
		"confirmBody": "%s 님, 안녕하세요.\n\n%s에 댓글 관련 안내를 %s 주소로 받겠다는 요청이 있었습니다.\n\n확인하려면 다음 링크를 여세요:\n%s\n\n" +
			"링크는 %d시간 동안 유효합니다. 요청하지 않으셨다면 이 메일을 무시하세요. 아무것도 발송되지 않습니다.\n",
	},
}
