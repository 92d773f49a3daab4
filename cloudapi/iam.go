package cloudapi

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"sort"
	"strings"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/store"
)

// User is the one user.
type User struct {
	ID       string
	Email    string
	FullName string
}

// ServiceAccount is a service account (sa-…).
type ServiceAccount struct {
	ID          string    `json:"id"`
	DisplayName string    `json:"display_name"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// ResourceCloud is the resource ID of a Cloud API key.
const ResourceCloud = "cloud"

// APIKey is an API key. Resource is a cluster ID, or ResourceCloud.
type APIKey struct {
	ID          string    `json:"id"`
	Secret      string    `json:"secret"`
	DisplayName string    `json:"display_name"`
	Description string    `json:"description"`
	Owner       string    `json:"owner"`    // u-… or sa-…
	Resource    string    `json:"resource"` // lkc-… or "cloud"
	Environment string    `json:"environment,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

var (
	nsServiceAccounts = []string{"cloudapi", "service_accounts"}
	nsAPIKeys         = []string{"cloudapi", "api_keys"}
)

// User returns the one user.
func (c *Cloud) User() User {
	return User{ID: UserID, Email: c.cfg.Email, FullName: "linkemu admin"}
}

// ServiceAccounts lists the service accounts by ID.
func (c *Cloud) ServiceAccounts() ([]ServiceAccount, error) {
	var out []ServiceAccount
	err := c.cfg.Store.View(func(tx *store.Tx) error {
		return tx.KVForEach(nsServiceAccounts, func(_ string, v []byte) error {
			var sa ServiceAccount
			if err := json.Unmarshal(v, &sa); err != nil {
				return err
			}
			out = append(out, sa)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// ServiceAccount returns one service account.
func (c *Cloud) ServiceAccount(id string) (ServiceAccount, error) {
	var sa ServiceAccount
	err := c.cfg.Store.View(func(tx *store.Tx) error {
		return getJSON(tx, nsServiceAccounts, id, &sa, "Service account %q was not found.")
	})
	return sa, err
}

// CreateServiceAccount creates a service account. Display names are unique,
// as in Confluent Cloud.
func (c *Cloud) CreateServiceAccount(name, description string) (ServiceAccount, error) {
	if strings.TrimSpace(name) == "" {
		return ServiceAccount{}, linkemu.Errorf(linkemu.EINVALID, "display_name is required: name the service account.")
	}
	now := c.cfg.Now().UTC()
	sa := ServiceAccount{DisplayName: name, Description: description, CreatedAt: now, UpdatedAt: now}
	err := c.cfg.Store.Update(func(tx *store.Tx) error {
		all := map[string]bool{}
		var dup bool
		if err := tx.KVForEach(nsServiceAccounts, func(k string, v []byte) error {
			all[k] = true
			var o ServiceAccount
			if err := json.Unmarshal(v, &o); err != nil {
				return err
			}
			dup = dup || o.DisplayName == name
			return nil
		}); err != nil {
			return err
		}
		if dup {
			return linkemu.Errorf(linkemu.ECONFLICT, "A service account named %q already exists: display names must be unique.", name)
		}
		sa.ID = newID("sa-", 6, func(id string) bool { return all[id] })
		return putJSON(tx, nsServiceAccounts, sa.ID, sa)
	})
	return sa, err
}

// UpdateServiceAccount changes a service account's description.
func (c *Cloud) UpdateServiceAccount(id string, description *string) (ServiceAccount, error) {
	var sa ServiceAccount
	err := c.cfg.Store.Update(func(tx *store.Tx) error {
		if err := getJSON(tx, nsServiceAccounts, id, &sa, "Service account %q was not found."); err != nil {
			return err
		}
		if description != nil {
			sa.Description = *description
			sa.UpdatedAt = c.cfg.Now().UTC()
		}
		return putJSON(tx, nsServiceAccounts, id, sa)
	})
	return sa, err
}

// DeleteServiceAccount deletes a service account and the API keys it owns,
// as Confluent Cloud does.
func (c *Cloud) DeleteServiceAccount(id string) error {
	return c.cfg.Store.Update(func(tx *store.Tx) error {
		var sa ServiceAccount
		if err := getJSON(tx, nsServiceAccounts, id, &sa, "Service account %q was not found."); err != nil {
			return err
		}
		keys, err := listKeys(tx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if k.Owner == id {
				if err := tx.KVDelete(nsAPIKeys, k.ID); err != nil {
					return err
				}
			}
		}
		return tx.KVDelete(nsServiceAccounts, id)
	})
}

// KeyFilter selects API keys; empty fields select all.
type KeyFilter struct{ Owner, Resource string }

// APIKeys lists API keys by ID.
func (c *Cloud) APIKeys(f KeyFilter) ([]APIKey, error) {
	var out []APIKey
	err := c.cfg.Store.View(func(tx *store.Tx) error {
		keys, err := listKeys(tx)
		for _, k := range keys {
			if (f.Owner == "" || k.Owner == f.Owner) && (f.Resource == "" || k.Resource == f.Resource) {
				out = append(out, k)
			}
		}
		return err
	})
	return out, err
}

// APIKey returns one API key.
func (c *Cloud) APIKey(id string) (APIKey, error) {
	var k APIKey
	err := c.cfg.Store.View(func(tx *store.Tx) error {
		return getJSON(tx, nsAPIKeys, id, &k, "API key %q was not found.")
	})
	return k, err
}

// NewAPIKey is a request to create an API key.
type NewAPIKey struct {
	DisplayName, Description string
	Owner                    string // u-… or sa-…, required
	Resource                 string // lkc-…, "cloud" or "" (a Cloud API key)
	Environment              string // the resource's environment, checked when set
}

// CreateAPIKey creates an API key with a new secret.
func (c *Cloud) CreateAPIKey(req NewAPIKey) (APIKey, error) {
	if req.Owner == "" {
		return APIKey{}, linkemu.Errorf(linkemu.EINVALID, "spec.owner.id is required: give the user (%s) or service account (sa-…) that owns the key.", UserID)
	}
	if req.Resource == "" {
		req.Resource = ResourceCloud
	}
	env := ""
	if req.Resource != ResourceCloud {
		cl, ok := c.findCluster(req.Resource)
		if !ok {
			return APIKey{}, linkemu.Errorf(linkemu.EINVALID, "spec.resource.id %q is not a Kafka cluster linkemu serves; give a cluster ID (lkc-…) or leave it out for a Cloud API key.", req.Resource)
		}
		if req.Environment != "" && req.Environment != cl.Environment {
			return APIKey{}, linkemu.Errorf(linkemu.EINVALID, "spec.resource.environment %s is wrong: Kafka cluster %s is in environment %s.", req.Environment, req.Resource, cl.Environment)
		}
		env = cl.Environment
	}
	now := c.cfg.Now().UTC()
	k := APIKey{DisplayName: req.DisplayName, Description: req.Description, Owner: req.Owner,
		Resource: req.Resource, Environment: env, Secret: newSecret(), CreatedAt: now, UpdatedAt: now}
	err := c.cfg.Store.Update(func(tx *store.Tx) error {
		if req.Owner != UserID {
			b, err := tx.KVGet(nsServiceAccounts, req.Owner)
			if err != nil {
				return err
			}
			if b == nil {
				return linkemu.Errorf(linkemu.EINVALID, "spec.owner.id %q is neither the user %s nor a service account: create the service account first.", req.Owner, UserID)
			}
		}
		keys, err := listKeys(tx)
		if err != nil {
			return err
		}
		taken := map[string]bool{}
		for _, o := range keys {
			taken[o.ID] = true
		}
		k.ID = newKeyID(func(id string) bool { return taken[id] })
		return putJSON(tx, nsAPIKeys, k.ID, k)
	})
	return k, err
}

// UpdateAPIKey changes an API key's display name and description.
func (c *Cloud) UpdateAPIKey(id string, name, description *string) (APIKey, error) {
	var k APIKey
	err := c.cfg.Store.Update(func(tx *store.Tx) error {
		if err := getJSON(tx, nsAPIKeys, id, &k, "API key %q was not found."); err != nil {
			return err
		}
		if name != nil {
			k.DisplayName = *name
		}
		if description != nil {
			k.Description = *description
		}
		k.UpdatedAt = c.cfg.Now().UTC()
		return putJSON(tx, nsAPIKeys, id, k)
	})
	return k, err
}

// DeleteAPIKey deletes an API key: it stops being a credential at once.
func (c *Cloud) DeleteAPIKey(id string) error {
	return c.cfg.Store.Update(func(tx *store.Tx) error {
		var k APIKey
		if err := getJSON(tx, nsAPIKeys, id, &k, "API key %q was not found."); err != nil {
			return err
		}
		return tx.KVDelete(nsAPIKeys, id)
	})
}

// ClusterCredential reports whether key and secret are an API key created
// for cluster: a valid credential for its Kafka REST and SASL listeners.
// The SASL listeners call it through the emulator's credentials lookup.
func (c *Cloud) ClusterCredential(cluster, key, secret string) bool {
	k, ok := c.credential(key, secret)
	return ok && k.Resource == cluster
}

// CloudCredential reports whether key and secret are a Cloud API key
// created through the API.
func (c *Cloud) CloudCredential(key, secret string) bool {
	k, ok := c.credential(key, secret)
	return ok && k.Resource == ResourceCloud
}

func (c *Cloud) credential(key, secret string) (APIKey, bool) {
	if c == nil || key == "" {
		return APIKey{}, false
	}
	k, err := c.APIKey(key)
	if err != nil {
		return APIKey{}, false
	}
	return k, subtle.ConstantTimeCompare([]byte(k.Secret), []byte(secret)) == 1
}

func listKeys(tx *store.Tx) ([]APIKey, error) {
	var out []APIKey
	err := tx.KVForEach(nsAPIKeys, func(_ string, v []byte) error {
		var k APIKey
		if err := json.Unmarshal(v, &k); err != nil {
			return err
		}
		out = append(out, k)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

func getJSON(tx *store.Tx, ns []string, key string, v any, notFound string) error {
	b, err := tx.KVGet(ns, key)
	if err != nil {
		return err
	}
	if b == nil {
		return linkemu.Errorf(linkemu.ENOTFOUND, notFound, key)
	}
	return json.Unmarshal(b, v)
}

func putJSON(tx *store.Tx, ns []string, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.KVPut(ns, key, b)
}

const (
	lowerChars = "abcdefghijklmnopqrstuvwxyz0123456789"
	keyChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	// secretChars are the characters of Confluent's secrets; no '/' or '+'
	// so that they survive shells and JAAS strings.
	secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

func randString(chars string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}

func newID(prefix string, n int, taken func(string) bool) string {
	for {
		if id := prefix + randString(lowerChars, n); !taken(id) {
			return id
		}
	}
}

// newKeyID returns a 16-character key ID of the form Confluent uses.
func newKeyID(taken func(string) bool) string {
	for {
		if id := randString(keyChars, 16); !taken(id) {
			return id
		}
	}
}

func newSecret() string { return randString(secretChars, 64) }
