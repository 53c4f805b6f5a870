package comments

// DefaultPolicy is the first version of the Standards Board Policy,
// written into an empty database; editors change it in /admin.
const DefaultPolicy = `# Standards Board Policy for comments

Comments are a conversation among readers. The Standards Board sets these
rules; every moderation decision names the clause it applies, and you can
see the state of your own comments at any time.

## 1. Stay on topic
Comments should respond to the article or to other readers' comments about it.

## 2. Be civil
No insults, slurs, threats or harassment of anyone, including the people in
the story, other readers and our journalists. Comments with words on the
banned list are held for a moderator.

## 3. No hate speech or discrimination
No attacks on people for their race, ethnicity, nationality, religion, sex,
gender, sexual orientation, disability, age or region.

## 4. No false or harmful claims
Do not post what you know to be false, private information about others, or
content that breaks the law (defamation, incitement, copyright).

## 5. No spam or manipulation
No advertising, repeated comments, many links, or several accounts used to
amplify one voice. New accounts that post very fast are held for review.

## 6. Your data
To comment you sign in with a social account. We keep your display name,
the account id the provider gives us, and your comments. We never post on
your behalf. You can delete your account on the "My account" page: your
comments are deleted with it; where others have replied, a "deleted"
marker without your name or words keeps their replies readable.

## 7. Moderation and appeals
Moderators may hold, reject or remove comments and ban accounts for a time,
always naming the clause applied. A comment with several reports is held
until a moderator decides. Write to the Standards Board to appeal.
`
