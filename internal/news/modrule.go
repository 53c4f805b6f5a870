package news

// RuleStore keeps comment moderation rules (by article metadata), the
// statements of reasons of moderation decisions and their appeals.
type RuleStore interface{}
