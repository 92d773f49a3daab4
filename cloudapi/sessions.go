package cloudapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	linkemu "github.com/linkemu/linkemu"
)

// Token lifetimes. Confluent's session tokens last hours and its refresh
// tokens days; the CLI refreshes a token a minute before it expires.
const (
	SessionTTL = 8 * time.Hour
	RefreshTTL = 30 * 24 * time.Hour
)

// Session is a logged-in session: its token, the refresh token that renews
// it, and the user.
type Session struct {
	Token        string
	RefreshToken string
	User         User
}

// claims are a token's JWT claims.
type claims struct {
	Sub   string `json:"sub"`
	Email string `json:"email,omitempty"`
	Org   string `json:"org_resource_id"`
	Typ   string `json:"typ"` // "session", "refresh" or "dataplane"
	Iat   int64  `json:"iat"`
	Exp   int64  `json:"exp"`
}

// Login checks an email and password and starts a session.
func (c *Cloud) Login(email, password string) (Session, error) {
	if email == "" || password == "" {
		return Session{}, linkemu.Errorf(linkemu.EUNAUTHORIZED, "Send an email and a password to log in.")
	}
	if c.cfg.Password != "" && (!strings.EqualFold(email, c.cfg.Email) ||
		subtle.ConstantTimeCompare([]byte(password), []byte(c.cfg.Password)) != 1) {
		return Session{}, linkemu.Errorf(linkemu.EUNAUTHORIZED, "Incorrect email or password.")
	}
	return c.session(), nil
}

// Refresh starts a new session from a refresh token.
func (c *Cloud) Refresh(refreshToken string) (Session, error) {
	tok, ok := strings.CutPrefix(refreshToken, refreshPrefix)
	if !ok {
		return Session{}, linkemu.Errorf(linkemu.EUNAUTHORIZED, "The refresh token is invalid: log in again.")
	}
	if _, err := c.verify(tok, "refresh"); err != nil {
		return Session{}, err
	}
	return c.session(), nil
}

// refreshPrefix starts every refresh token: the CLI takes a refresh token
// without it for one it encrypted itself, and fails to decrypt it.
const refreshPrefix = "v1."

func (c *Cloud) session() Session {
	u := c.User()
	return Session{Token: c.sign("session", SessionTTL), RefreshToken: refreshPrefix + c.sign("refresh", RefreshTTL), User: u}
}

// DataplaneToken exchanges a session token for the token the CLI sends to
// Kafka REST as a bearer.
func (c *Cloud) DataplaneToken(sessionToken string) (string, error) {
	if _, err := c.verify(sessionToken, "session"); err != nil {
		return "", err
	}
	return c.sign("dataplane", SessionTTL), nil
}

// SessionUser returns the user of a valid session token.
func (c *Cloud) SessionUser(token string) (User, error) {
	if _, err := c.verify(token, "session"); err != nil {
		return User{}, err
	}
	return c.User(), nil
}

// ValidBearer reports whether token is a session or data-plane token this
// Cloud issued and that has not expired.
func (c *Cloud) ValidBearer(token string) bool {
	if c == nil {
		return false
	}
	_, err := c.verify(token, "session")
	if err != nil {
		_, err = c.verify(token, "dataplane")
	}
	return err == nil
}

var jwtHeader = b64(`{"alg":"HS256","typ":"JWT"}`)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func (c *Cloud) sign(typ string, ttl time.Duration) string {
	now := c.cfg.Now()
	body, _ := json.Marshal(claims{Sub: UserID, Email: c.cfg.Email, Org: Organization, Typ: typ, Iat: now.Unix(), Exp: now.Add(ttl).Unix()})
	msg := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(body)
	return msg + "." + base64.RawURLEncoding.EncodeToString(c.mac(msg))
}

func (c *Cloud) mac(msg string) []byte {
	m := hmac.New(sha256.New, c.signKey)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// verify checks a token's signature, type and expiry.
func (c *Cloud) verify(token, typ string) (claims, error) {
	bad := linkemu.Errorf(linkemu.EUNAUTHORIZED, "The token is invalid or has expired: log in again.")
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return claims{}, bad
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, c.mac(parts[0]+"."+parts[1])) {
		return claims{}, bad
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	var cl claims
	if err != nil || json.Unmarshal(body, &cl) != nil || cl.Typ != typ || c.cfg.Now().Unix() >= cl.Exp {
		return claims{}, bad
	}
	return cl, nil
}
