package cloudapi

import (
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/store"
)

func TestSessionTokens(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newCloud(t, Config{Email: "dev@example.com", Password: "pw", Now: func() time.Time { return now }})
	for _, tc := range []struct {
		name, email, password string
		ok                    bool
	}{
		{"right", "dev@example.com", "pw", true},
		{"email in another case", "DEV@example.com", "pw", true},
		{"wrong password", "dev@example.com", "nope", false},
		{"wrong email", "other@example.com", "pw", false},
		{"empty password", "dev@example.com", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := c.Login(tc.email, tc.password); (err == nil) != tc.ok {
				t.Errorf("Login(%q, %q) = %v, want ok=%v", tc.email, tc.password, err, tc.ok)
			}
		})
	}
	s, err := c.Login("dev@example.com", "pw")
	if err != nil {
		t.Fatal(err)
	}
	dp, err := c.DataplaneToken(s.Token)
	if err != nil || !c.ValidBearer(dp) || !c.ValidBearer(s.Token) {
		t.Fatalf("data-plane token: %v", err)
	}
	for name, tok := range map[string]string{
		"refresh token as bearer": s.RefreshToken,
		"tampered":                s.Token[:len(s.Token)-2] + "xx",
		"other signer":            newCloud(t, Config{Now: func() time.Time { return now }}).session().Token,
		"not a JWT":               strings.ReplaceAll(s.Token, ".", ""),
	} {
		if c.ValidBearer(tok) {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := c.DataplaneToken(dp); err == nil {
		t.Error("a data-plane token was exchanged for another")
	}
	if _, err := c.Refresh(s.Token); err == nil {
		t.Error("a session token refreshed a session")
	}
	now = now.Add(SessionTTL)
	if c.ValidBearer(s.Token) {
		t.Error("an expired session token is valid")
	}
	if _, err := c.Refresh(s.RefreshToken); err != nil {
		t.Errorf("refresh after the session expired: %v", err)
	}
}

func TestAnyLoginWithoutPassword(t *testing.T) {
	c := newCloud(t, Config{})
	if _, err := c.Login("anyone@example.com", "anything"); err != nil {
		t.Errorf("with no password configured, any login passes: %v", err)
	}
	if u := c.User(); u.ID != UserID || u.Email != DefaultEmail {
		t.Errorf("user %+v", u)
	}
}

func newCloud(t *testing.T, cfg Config) *Cloud {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSessionsSurviveRestart checks a token signed before a restart on the
// same store is valid after it.
func TestSessionsSurviveRestart(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := newCloud(t, Config{Store: st}).Login("a@b.c", "x")
	if err != nil {
		t.Fatal(err)
	}
	if !newCloud(t, Config{Store: st}).ValidBearer(s.Token) {
		t.Error("a session did not survive a restart")
	}
}
