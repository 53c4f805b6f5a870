// Package providers is the catalogue of social sign-in providers: one
// entry a provider. The configuration makes its flags from it
// (--NAME-client-id, --NAME-client-secret and the BYLINE_NAME_… variables)
// and readerauth its buttons, endpoints and callbacks, so adding a
// provider that speaks standard OAuth 2.0 or OpenID Connect is one entry
// here and a line in this package's test (ARCHITECTURE.md, "Recipes").
//
// The package imports nothing of Byline's, so that internal/config can
// read it.
package providers

// Spec is one provider.
type Spec struct {
	// Name is the provider's path segment (/auth/NAME/start) and the
	// stem of its flags.
	Name string
	// Label is the button's default text.
	Label string
	// Issuer is an OpenID Connect issuer (discovery and ID tokens); empty
	// for plain OAuth 2.0 providers.
	Issuer string
	// AuthURL, TokenURL and UserInfoURL are the OAuth 2.0 endpoints of a
	// plain provider; the profile at UserInfoURL may be any of the shapes
	// readerauth's parseProfile reads (sub or id; name, username or login;
	// picture, profile_image_url or avatar_url).
	AuthURL, TokenURL, UserInfoURL string
	Scopes                         []string
	// BasicAuth: the client authenticates to the token endpoint with
	// HTTP Basic instead of form fields.
	BasicAuth bool
	// IssuerFlag: the issuer is the operator's (--NAME-issuer) and
	// required; Label can be set with --NAME-name.
	IssuerFlag bool
	// Versioned: the endpoints embed an API version (--NAME-api-version,
	// DefaultVersion when not set); readerauth builds them (Facebook's
	// Graph API).
	Versioned      bool
	DefaultVersion string
}

// All is every provider, in the order their buttons appear.
var All = []Spec{
	{Name: "x", Label: "X (Twitter)", AuthURL: "https://x.com/i/oauth2/authorize", TokenURL: "https://api.x.com/2/oauth2/token",
		UserInfoURL: "https://api.x.com/2/users/me?user.fields=profile_image_url", Scopes: []string{"users.read", "tweet.read"}, BasicAuth: true},
	{Name: "facebook", Label: "Facebook", Scopes: []string{"public_profile"}, Versioned: true, DefaultVersion: "v24.0"},
	// "email" asks OpenID providers for the address and whether they
	// verified it: a verified one becomes the reader's address for
	// notices of moderation decisions (never shown).
	{Name: "google", Label: "Google", Issuer: "https://accounts.google.com", Scopes: []string{"openid", "profile", "email"}},
	{Name: "github", Label: "GitHub", AuthURL: "https://github.com/login/oauth/authorize", TokenURL: "https://github.com/login/oauth/access_token",
		UserInfoURL: "https://api.github.com/user", Scopes: []string{"read:user"}},
	{Name: "oidc", Label: "OpenID Connect", Scopes: []string{"openid", "profile", "email"}, IssuerFlag: true},
}

// ByName is the provider called name.
func ByName(name string) (Spec, bool) {
	for _, s := range All {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}
