package cloudapi

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/store"
)

// RoleBinding is a role binding (rb-…). linkemu keeps role bindings so that
// configurations that create them (Confluent's own Terraform examples do)
// run, but enforces none: every credential may do everything.
type RoleBinding struct {
	ID         string    `json:"id"`
	Principal  string    `json:"principal"`
	RoleName   string    `json:"role_name"`
	CRNPattern string    `json:"crn_pattern"`
	CreatedAt  time.Time `json:"created_at"`
}

var nsRoleBindings = []string{"cloudapi", "role_bindings"}

// RoleBindingFilter selects role bindings: those whose CRN pattern is
// CRNPattern or under it (required, as in Confluent's API), and, when set,
// of Principal and RoleName.
type RoleBindingFilter struct{ Principal, RoleName, CRNPattern string }

// RoleBindings lists role bindings by ID.
func (c *Cloud) RoleBindings(f RoleBindingFilter) ([]RoleBinding, error) {
	if f.CRNPattern == "" {
		return nil, linkemu.Errorf(linkemu.EMALFORMED, "The crn_pattern query parameter is required: give the scope to list, e.g. crn://confluent.cloud/organization=%s.", Organization)
	}
	var out []RoleBinding
	err := c.cfg.Store.View(func(tx *store.Tx) error {
		return tx.KVForEach(nsRoleBindings, func(_ string, v []byte) error {
			var rb RoleBinding
			if err := json.Unmarshal(v, &rb); err != nil {
				return err
			}
			if (f.Principal == "" || rb.Principal == f.Principal) && (f.RoleName == "" || rb.RoleName == f.RoleName) &&
				strings.HasPrefix(rb.CRNPattern, f.CRNPattern) {
				out = append(out, rb)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// RoleBinding returns one role binding.
func (c *Cloud) RoleBinding(id string) (RoleBinding, error) {
	var rb RoleBinding
	err := c.cfg.Store.View(func(tx *store.Tx) error {
		return getJSON(tx, nsRoleBindings, id, &rb, "Role binding %q was not found.")
	})
	return rb, err
}

// CreateRoleBinding records a role binding. The principal must be User:<id>
// of the user or a service account; the CRN pattern must be a crn:// URI.
func (c *Cloud) CreateRoleBinding(principal, role, crn string) (RoleBinding, error) {
	switch {
	case role == "":
		return RoleBinding{}, linkemu.Errorf(linkemu.EMALFORMED, "role_name is required, e.g. CloudClusterAdmin.")
	case !strings.HasPrefix(crn, "crn://"):
		return RoleBinding{}, linkemu.Errorf(linkemu.EMALFORMED, "crn_pattern %q is not a CRN: give crn://confluent.cloud/organization=…/environment=…[/cloud-cluster=…].", crn)
	}
	id, ok := strings.CutPrefix(principal, "User:")
	if !ok {
		return RoleBinding{}, linkemu.Errorf(linkemu.EMALFORMED, "principal %q is malformed: give User:%s or User:sa-….", principal, UserID)
	}
	rb := RoleBinding{Principal: principal, RoleName: role, CRNPattern: crn, CreatedAt: c.cfg.Now().UTC()}
	err := c.cfg.Store.Update(func(tx *store.Tx) error {
		if id != UserID {
			b, err := tx.KVGet(nsServiceAccounts, id)
			if err != nil {
				return err
			}
			if b == nil {
				return linkemu.Errorf(linkemu.EMALFORMED, "principal %q names no user or service account: create the service account first.", principal)
			}
		}
		taken := map[string]bool{}
		if err := tx.KVForEach(nsRoleBindings, func(k string, _ []byte) error { taken[k] = true; return nil }); err != nil {
			return err
		}
		rb.ID = newID("rb-", 6, func(id string) bool { return taken[id] })
		return putJSON(tx, nsRoleBindings, rb.ID, rb)
	})
	return rb, err
}

// DeleteRoleBinding deletes a role binding and returns it.
func (c *Cloud) DeleteRoleBinding(id string) (RoleBinding, error) {
	var rb RoleBinding
	err := c.cfg.Store.Update(func(tx *store.Tx) error {
		if err := getJSON(tx, nsRoleBindings, id, &rb, "Role binding %q was not found."); err != nil {
			return err
		}
		return tx.KVDelete(nsRoleBindings, id)
	})
	return rb, err
}
