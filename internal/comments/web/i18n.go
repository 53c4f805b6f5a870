package web

import (
	"byline/internal/comments"
	"net/http"
	"net/url"
	"strings"
)

// Text is the words of one comment page in the reader's language (the
// comment box's switch: the byline_lang cookie, else Accept-Language).
// Templates use {{.T.key}}; a missing key shows the English text.
type Text map[string]string

// pageText holds the page words in English and Korean. The policy's
// clauses are the newsroom's versioned text and stay as written.
var pageText = map[string]Text{
	"en": {
		"langName": "English", "langLabel": "Language:",
		"policyTitle": "Standards Board Policy", "policyDesc": "The rules for reader comments, numbered and versioned.",
		"seeCurrent": "See the current version",
		"history":    "History of this policy",

		"helpTitle": "Social comment?", "helpDesc": "What signing in to comment shares and stores.",
		"helpIntro":  "To keep conversations accountable, you write comments after logging in with an account you already have",
		"helpIntro2": "We never see your password, and we never post anything on your behalf.",
		"helpKeepH":  "What we receive and keep",
		"helpKeep1":  "The account id the provider gives us, so we recognise you next time.",
		"helpKeep2":  "Your display name (shown with your comments) and, if the provider shares it, your profile picture address and e-mail (never shown).",
		"helpKeep3":  "Your comments, recommendations and reports, and a scrambled form of your network address to stop abuse.",
		"helpCanH":   "What you can do",
		"helpCan1":   "See every comment you wrote and its state (published, waiting for a moderator, or removed under a clause) on",
		"helpCan2":   "Edit a comment for five minutes after posting, and delete it at any time.",
		"helpCan3":   "Delete your account: your comments go with it.",
		"helpLength": "A comment holds at most 250 characters, counted as you see them: a Korean syllable, an emoji or a flag is one character.",
		"helpRules":  "Read the rules:",

		"accountTitle": "My account", "loggedInAs": "You are logged in as", "with": "with", "since": "since",
		"bannedUntil": "You may not comment until", "bannedUnder": "under clause ", "ofPolicy": " of the Standards Board Policy",
		"logout": "Log out", "yourComments": "Your comments", "goneArticle": "An article no longer online",
		"published": "Published", "pending": "Waiting for a moderator", "deletedByYou": "Deleted by you", "removedUnder": "Removed under clause ", "removedUnderEnd": "",
		"reasonFacts": "Reason:", "clause": "clause ", "clauseEnd": "", "policyVersion": "policy version", "automatic": "automatic decision", "decisionRef": "decision",
		"appealReason": "Appeal: why should this decision change?", "appealSend": "Send appeal", "appealUntil": "You can appeal until",
		"appealOpen":     "Your appeal waits for a moderator other than the one who decided.",
		"appealUpheld":   "Your appeal was reviewed: the decision stands.",
		"appealReversed": "Your appeal was reviewed: the decision was reversed and your comment is published again.",
		"appealReply":    "Reply:",
		"historyDesc":    "A commenter's record on this site.", "historyH": "Comments on this site", "historyPublished": "Published",
		"historyRemoved": "Removed by a moderator", "historySince": "Commenting since",
		"noComments": "You have not written any comments yet.", "deleteH": "Delete my account",
		"deleteText":    "This deletes your account and your comments. Where others replied to you, a “deleted” marker without your name or words keeps their replies readable.",
		"deleteConfirm": "Yes, delete my account and comments", "deleteButton": "Delete my account",
		"notLoggedIn": "You are not logged in. Log in with one of these accounts to see and manage your comments:",
		"noProviders": "Sign-in is not set up on this site yet.",

		"frontPage": "Go to the front page", "displayName": "Display name", "logIn": "Log in",
		"confirmH": "Please confirm", "confirmMsg": "Tick the box to confirm that you want your account and comments deleted.",
		"deletedH":    "Your account is deleted",
		"deletedMsg":  "Your account and your comments have been deleted. Where others had replied, a “deleted” marker without your name or words keeps their replies readable.",
		"loginErrorH": "Sign-in did not work",
		"devTitle":    "Dev login",
		"devH":        "Dev login: choose a display name",
		"devMsg":      "This local sign-in is for trying comments without real social accounts (--dev-login). The same name signs you in as the same reader.",

		"appealBan": "Appeal the ban: why should this decision change?",
		"emailH":    "Notices by e-mail", "emailTo": "Notices of decisions on your comments (held, removed, a ban, an appeal's outcome) go to",
		"emailNone": "No notices are sent to you by e-mail; you see decisions here and next to your comments.",
		"emailStop": "Stop e-mail notices",
		"emailAddr": "Send notices to this address:", "emailOther": "Send them to another address:",
		"emailSend":       "Send a confirmation link",
		"emailHelp":       "We send a link to the address first; notices go there only after you open it. Every notice has a link to stop them. The address is never shown.",
		"emailSent":       "A confirmation link is on its way. Open it to start the notices.",
		"emailCleared":    "E-mail notices are off.",
		"emailConfirmedH": "Your address is confirmed", "emailConfirmedMsg": "Notices of decisions on your comments now go to {addr}.",
		"unsubH": "Stop e-mail notices?", "unsubAsk": "You will no longer get e-mails about decisions on your comments. You still see them on your account page.",
		"unsubButton": "Stop the notices", "unsubDoneH": "E-mail notices are off", "unsubDone": "We will not send you notices any more. You can turn them on again on your account page.",
		"unsubExpiredH": "This link has expired", "unsubExpired": "Links to stop e-mail notices work for 90 days, and this one is older. Nothing was changed. Sign in to turn notices off (or on) on your account page.",
		"unsubExpiredLink": "Sign in to change your e-mail notices",
	},
	"ko": {
		"langName": "한국어", "langLabel": "언어:",
		"policyTitle": "기사윤리위원회 규정", "policyDesc": "독자 댓글의 규칙입니다. 조항마다 번호가 있고 판마다 기록됩니다.",
		"seeCurrent": "현행 규정 보기",
		"history":    "규정 변경 이력", "asWritten": "규정 조항은 편집국이 쓴 원문 그대로 싣습니다.",

		"helpTitle": "소셜 댓글이란?", "helpDesc": "댓글을 쓰려고 로그인할 때 무엇이 전달되고 저장되는지 알려 드립니다.",
		"helpIntro":  "책임 있는 대화를 위해, 이미 가지고 있는 계정으로 로그인한 뒤 댓글을 씁니다",
		"helpIntro2": "저희는 비밀번호를 볼 수 없으며, 독자를 대신해 어떤 글도 올리지 않습니다.",
		"helpKeepH":  "받아서 보관하는 정보",
		"helpKeep1":  "다음에 다시 알아볼 수 있도록 로그인 서비스가 알려 주는 계정 번호.",
		"helpKeep2":  "댓글과 함께 보이는 표시 이름, 그리고 로그인 서비스가 알려 줄 경우 프로필 사진 주소와 이메일(공개하지 않음).",
		"helpKeep3":  "작성한 댓글, 추천과 신고, 그리고 악용을 막기 위해 알아볼 수 없게 바꾼 네트워크 주소.",
		"helpCanH":   "독자가 할 수 있는 일",
		"helpCan1":   "작성한 모든 댓글과 그 상태(게시됨, 검토 대기 중, 규정에 따라 삭제됨)를 확인하기:",
		"helpCan2":   "댓글은 올린 뒤 5분 동안 고칠 수 있고, 언제든 지울 수 있습니다.",
		"helpCan3":   "계정 삭제: 작성한 댓글도 함께 지워집니다.",
		"helpLength": "댓글은 최대 250자까지 쓸 수 있습니다. 보이는 대로 셉니다: 한글 한 음절, 이모지 하나, 국기 하나가 각각 한 글자입니다.",
		"helpRules":  "규칙 읽기:",

		"accountTitle": "내 계정", "loggedInAs": "로그인한 이름:", "with": "로그인 서비스:", "since": "가입일:",
		"bannedUntil": "다음 시각까지 댓글을 쓸 수 없습니다:", "bannedUnder": "적용 조항: 제", "ofPolicy": "조 (기사윤리위원회 규정)",
		"logout": "로그아웃", "yourComments": "내가 쓴 댓글", "goneArticle": "더 이상 볼 수 없는 기사",
		"published": "게시됨", "pending": "검토 대기 중", "deletedByYou": "내가 삭제함", "removedUnder": "삭제됨, 적용 조항: 제", "removedUnderEnd": "조",
		"reasonFacts": "사유:", "clause": "제", "clauseEnd": "조", "policyVersion": "규정 판", "automatic": "자동 결정", "decisionRef": "결정 번호",
		"appealReason": "이의 신청: 이 결정을 바꿔야 하는 이유", "appealSend": "이의 신청 보내기", "appealUntil": "이의 신청 기한:",
		"appealOpen":     "이의 신청을 처음 결정한 운영자가 아닌 다른 운영자가 검토하고 있습니다.",
		"appealUpheld":   "이의 신청을 검토했습니다. 결정이 유지됩니다.",
		"appealReversed": "이의 신청을 검토했습니다. 결정이 취소되어 댓글이 다시 게시되었습니다.",
		"appealReply":    "답변:",
		"historyDesc":    "이 사이트에서 쓴 댓글 기록입니다.", "historyH": "이 사이트의 댓글", "historyPublished": "게시됨",
		"historyRemoved": "운영자가 삭제함", "historySince": "댓글 활동 시작",
		"noComments": "아직 쓴 댓글이 없습니다.", "deleteH": "계정 삭제",
		"deleteText":    "계정과 작성한 댓글이 모두 삭제됩니다. 다른 독자가 답글을 단 댓글은 이름과 내용 없이 ‘삭제됨’ 표시만 남아 답글을 계속 읽을 수 있습니다.",
		"deleteConfirm": "네, 계정과 댓글을 삭제합니다", "deleteButton": "계정 삭제",
		"notLoggedIn": "로그인하지 않았습니다. 아래 계정 중 하나로 로그인하면 내 댓글을 보고 관리할 수 있습니다:",
		"noProviders": "이 사이트에는 아직 로그인이 설정되지 않았습니다.",

		"frontPage": "첫 화면으로 가기", "displayName": "표시 이름", "logIn": "로그인",
		"confirmH": "확인해 주세요", "confirmMsg": "계정과 댓글을 삭제하려면 확인란을 선택해 주세요.",
		"deletedH":    "계정이 삭제되었습니다",
		"deletedMsg":  "계정과 댓글이 삭제되었습니다. 다른 독자가 답글을 단 댓글은 이름과 내용 없이 ‘삭제됨’ 표시만 남아 답글을 계속 읽을 수 있습니다.",
		"loginErrorH": "로그인하지 못했습니다",
		"devTitle":    "개발용 로그인",
		"devH":        "개발용 로그인: 표시 이름을 정하세요",
		"devMsg":      "실제 소셜 계정 없이 댓글을 시험해 보는 로컬 로그인입니다(--dev-login). 같은 이름으로 로그인하면 같은 독자가 됩니다.",

		"appealBan": "이용 제한 이의 신청: 이 결정을 바꿔야 하는 이유",
		"emailH":    "이메일 안내", "emailTo": "내 댓글에 대한 결정(검토 보류, 삭제, 이용 제한, 이의 신청 결과) 안내를 받는 주소:",
		"emailNone": "이메일로 받는 안내가 없습니다. 결정은 이 페이지와 댓글 옆에서 확인할 수 있습니다.",
		"emailStop": "이메일 안내 중단",
		"emailAddr": "안내를 받을 주소:", "emailOther": "다른 주소로 받기:",
		"emailSend":       "확인 링크 보내기",
		"emailHelp":       "먼저 이 주소로 링크를 보내고, 링크를 연 뒤에만 안내를 보냅니다. 모든 안내에 수신 중단 링크가 있습니다. 주소는 공개하지 않습니다.",
		"emailSent":       "확인 링크를 보냈습니다. 링크를 열면 안내가 시작됩니다.",
		"emailCleared":    "이메일 안내를 중단했습니다.",
		"emailConfirmedH": "주소가 확인되었습니다", "emailConfirmedMsg": "이제 내 댓글에 대한 결정 안내를 {addr} 주소로 보냅니다.",
		"unsubH": "이메일 안내를 중단할까요?", "unsubAsk": "댓글에 대한 결정을 더 이상 이메일로 받지 않습니다. 내 계정 페이지에서는 계속 볼 수 있습니다.",
		"unsubButton": "안내 중단", "unsubDoneH": "이메일 안내를 중단했습니다", "unsubDone": "더 이상 안내를 보내지 않습니다. 내 계정 페이지에서 다시 켤 수 있습니다.",
		"unsubExpiredH": "만료된 링크입니다", "unsubExpired": "이메일 안내 중단 링크는 90일 동안 유효하며, 이 링크는 그보다 오래되었습니다. 아무것도 바뀌지 않았습니다. 로그인한 뒤 내 계정 페이지에서 안내를 끄거나 켤 수 있습니다.",
		"unsubExpiredLink": "로그인하고 이메일 안내 설정 바꾸기",
	},
}

// boxText is the words of the comment box the server draws, the same as
// comments.js's (TestBoxTextMatchesScript), so that nothing changes when
// the script runs in the same language: with ?lang=ko on an article, the
// box is Korean without script, hidden parts and counter included.
var boxText = map[string]map[string]string{
	"en": {
		"title": "Comments", "closed": "Comments on this article are closed.",
		"lock": "To write comments, please log in to one of the accounts", "connect": "Log in to Twitter or Facebook account to connect",
		"connectWith": "Log in with {names} to connect", "or": " or ", "noProviders": "Sign-in is not set up on this site yet.",
		"label": "Your comment", "help": "Social comment?", "policy": "Standards Board Policy", "post": "Post",
		"empty": "No comments yet.", "more": "Load more comments", "deleted": "This comment was deleted.",
		"edited": "(edited)", "recommended": "recommended", "replyTo": "replying to @{name}",
		"removed": "This comment was removed under clause {n} of the", "removedEnd": ".", "langLabel": "Language:",
		"counter": "{n}/{max}", "placeholder": "Share your view (at most {max} characters)",
		"loggedAs": "Logged in as", "account": "My account", "logout": "Log out", "cancel": "Cancel",
		"sortLabel": "Sort comments", "newest": "Newest", "oldest": "Oldest", "top": "Most recommended",
	},
	"ko": {
		"title": "댓글", "closed": "이 기사의 댓글은 닫혔습니다.",
		"lock": "댓글을 쓰려면 계정 중 하나로 로그인해 주세요", "connect": "트위터 또는 페이스북 계정으로 로그인해 연결하세요",
		"connectWith": "{names} 계정으로 로그인해 연결하세요", "or": " 또는 ", "noProviders": "이 사이트에는 아직 로그인이 설정되지 않았습니다.",
		"label": "댓글 입력", "help": "소셜 댓글이란?", "policy": "기사윤리위원회 규정", "post": "등록",
		"empty": "아직 댓글이 없습니다.", "more": "댓글 더 보기", "deleted": "삭제된 댓글입니다.",
		"edited": "(수정됨)", "recommended": "추천", "replyTo": "@{name}님에게 답글",
		"removed": "이 댓글은", "removedEnd": " 제{n}조에 따라 삭제되었습니다.", "langLabel": "언어:",
		"counter": "({n}/{max}자)", "placeholder": "의견을 남겨 주세요 (최대 {max}자)",
		"loggedAs": "로그인:", "account": "내 계정", "logout": "로그아웃", "cancel": "취소",
		"sortLabel": "댓글 정렬", "newest": "최신순", "oldest": "오래된순", "top": "추천순",
	},
}

// BoxText is a word of the comment box in lang ("" is English), with
// {name} replaced by the pairs of args ("names", "A|B" is joined with
// the language's "or").
func BoxText(lang, key string, args ...string) string {
	t, ok := boxText[lang]
	if !ok {
		t = boxText["en"]
	}
	s, ok := t[key]
	if !ok {
		s = boxText["en"][key]
	}
	for i := 0; i+1 < len(args); i += 2 {
		v := args[i+1]
		if args[i] == "names" {
			l := strings.Split(v, "|")
			if len(l) > 1 {
				v = strings.Join(l[:len(l)-1], ", ") + t["or"] + l[len(l)-1]
			}
		}
		s = strings.ReplaceAll(s, "{"+args[i]+"}", v)
	}
	return s
}

// ItemView is a comment of the thread the server draws, with the box's
// language (the comment-item template calls itself for replies).
type ItemView struct {
	comments.View
	Lang string
}

func commentItem(v comments.View, lang string) ItemView { return ItemView{View: v, Lang: lang} }

// textFor is the page words for lang.
func textFor(lang string) Text {
	if t, ok := pageText[lang]; ok {
		return t
	}
	return pageText["en"]
}

// LangLink is one entry of a page's language switch.
type LangLink struct {
	Code, Name, URL string
	Current         bool
}

// langLinks is the switch of the page r asked for: /comments/lang sets the
// same cookie as the comment box's buttons and comes back.
func langLinks(r *http.Request, lang string) []LangLink {
	ret := r.URL.Path
	if q := r.URL.Query(); q.Has("lang") {
		// ?lang= in the return would overrule the choice just made.
		q.Del("lang")
		if len(q) > 0 {
			ret += "?" + q.Encode()
		}
	} else if r.URL.RawQuery != "" {
		ret += "?" + r.URL.RawQuery
	}
	if r.Method != http.MethodGet || strings.HasPrefix(r.URL.Path, "/auth/") {
		// A form's answer or a step of a sign-in cannot be asked again.
		ret = "/account"
	}
	var out []LangLink
	for _, c := range []string{"en", "ko"} {
		out = append(out, LangLink{Code: c, Name: pageText[c]["langName"], Current: c == lang,
			URL: "/comments/lang?" + url.Values{"set": {c}, "return": {ret}}.Encode()})
	}
	return out
}

// loginErrorsKO are the sign-in errors in Korean; a message not listed
// (or naming a provider's own words) shows in English.
var loginErrorsKO = map[string]string{
	"This sign-in provider is not available on this site.":                           "이 사이트에서는 이 로그인 방식을 쓸 수 없습니다.",
	"The sign-in could not be started. Please try again.":                            "로그인을 시작하지 못했습니다. 다시 시도해 주세요.",
	"This sign-in link is not from this browser or has expired. Please start again.": "이 로그인 링크는 이 브라우저에서 시작한 것이 아니거나 만료되었습니다. 처음부터 다시 시도해 주세요.",
	"This sign-in has already been used or has expired. Please start again.":         "이미 사용되었거나 만료된 로그인입니다. 처음부터 다시 시도해 주세요.",
	"The sign-in could not be finished. Please try again.":                           "로그인을 마치지 못했습니다. 다시 시도해 주세요.",
	"This sign-in is not from this browser or has expired. Please start again.":      "이 로그인은 이 브라우저에서 시작한 것이 아니거나 만료되었습니다. 처음부터 다시 시도해 주세요.",
	"Your account could not be saved. Please try again.":                             "계정을 저장하지 못했습니다. 다시 시도해 주세요.",
	"Your session could not be started. Please try again.":                           "로그인 상태를 시작하지 못했습니다. 다시 시도해 주세요.",
	// The dev provider's name form (comments.NormalizeName's refusals).
	"please choose a display name":     "표시 이름을 정해 주세요.",
	"the name is not valid UTF-8 text": "이름에 쓸 수 없는 문자가 있습니다.",
}

// errorsKO are the refusals a reader meets on the comment pages, in
// Korean (the domain's English words, as news.PublicMessage gives them);
// a message not listed stays in English, marked so.
var errorsKO = map[string]string{
	"this link is not valid; it may be incomplete or out of date":                      "올바른 링크가 아닙니다. 링크의 일부가 빠졌거나 오래된 링크일 수 있습니다.",
	"this site does not send e-mail":                                                   "이 사이트는 이메일을 보내지 않습니다.",
	"you asked for several confirmation messages already; please try again in an hour": "확인 메일을 이미 여러 번 요청했습니다. 한 시간 뒤 다시 시도해 주세요.",
	"you are not barred from commenting; there is no ban to appeal":                    "댓글 이용 제한을 받고 있지 않아 이의를 신청할 일이 없습니다.",
	"there is no decision against you to appeal":                                       "이의를 신청할 결정이 없습니다.",
	"there is no decision against this comment to appeal":                              "이 댓글에는 이의를 신청할 결정이 없습니다.",
	"say in a sentence or two why the decision should change":                          "결정을 바꿔야 하는 이유를 한두 문장으로 적어 주세요.",
	"an appeal has at most 2000 characters":                                            "이의 신청은 최대 2000자까지 쓸 수 있습니다.",
	"log in to appeal a decision":                                                      "이의를 신청하려면 로그인해 주세요.",
	"log in to choose where notices go":                                                "안내 받을 주소를 정하려면 로그인해 주세요.",
	"name the comment whose decision you appeal":                                       "이의를 신청할 댓글을 골라 주세요.",
	"set or clear the address":                                                         "주소를 정하거나 지워 주세요.",
	"give an e-mail address":                                                           "이메일 주소를 입력해 주세요.",
	"give one e-mail address, such as name@example.com":                                "name@example.com 같은 이메일 주소 하나를 입력해 주세요.",
	"you can change only your own comments":                                            "자신이 쓴 댓글만 바꿀 수 있습니다.",
	"Something went wrong on our side. Please try again.":                              "저희 쪽에서 문제가 생겼습니다. 다시 시도해 주세요.",
}

// errorTextKO is a refusal in Korean, and whether it has one.
func errorTextKO(msg string) (string, bool) {
	if ko, ok := errorsKO[msg]; ok {
		return ko, true
	}
	if day, ok := strings.CutPrefix(msg, "decisions can be appealed for six months; this one was made on "); ok {
		return "결정 뒤 6개월 동안 이의를 신청할 수 있습니다. 이 결정은 " + day + "에 내려졌습니다.", true
	}
	return msg, false
}

// errorHeadingsKO are the error page's headings by status.
var errorHeadingsKO = map[int]string{
	http.StatusNotFound:            "페이지를 찾을 수 없습니다",
	http.StatusBadRequest:          "요청을 처리할 수 없습니다",
	http.StatusServiceUnavailable:  "잠시 이용할 수 없습니다",
	http.StatusInsufficientStorage: "저장되지 않았습니다",
}

// loginErrorText is msg in lang: the fixed messages from the list, and
// the ones that name the provider by their English sentence pattern.
func loginErrorText(lang, msg string) string {
	if lang != "ko" {
		return msg
	}
	if ko, ok := loginErrorsKO[msg]; ok {
		return ko
	}
	if p, ok := strings.CutSuffix(msg, " could not be reached. Please try again later."); ok {
		return p + "에 연결하지 못했습니다. 잠시 뒤 다시 시도해 주세요."
	}
	if p, ok := strings.CutPrefix(msg, "The sign-in was cancelled at "); ok {
		if p, ok := strings.CutSuffix(p, ". You have not been signed in."); ok {
			return p + "에서 로그인이 취소되었습니다. 로그인되지 않았습니다."
		}
	}
	if p, ok := strings.CutPrefix(msg, "We could not confirm your account with "); ok {
		if p, ok := strings.CutSuffix(p, ". Please try again."); ok {
			return p + " 계정을 확인하지 못했습니다. 다시 시도해 주세요."
		}
	}
	if p, ok := strings.CutPrefix(msg, "The sign-in token from "); ok {
		if p, ok := strings.CutSuffix(p, " was not valid. You have not been signed in."); ok {
			return p + "에서 받은 로그인 정보가 올바르지 않습니다. 로그인되지 않았습니다."
		}
	}
	// "X refused the sign-in (code)." names the provider's own code.
	if p, rest, ok := strings.Cut(msg, " refused the sign-in ("); ok {
		if code, ok := strings.CutSuffix(rest, "). You have not been signed in."); ok {
			return p + "에서 로그인을 거절했습니다(" + code + "). 로그인되지 않았습니다."
		}
	}
	return msg
}
