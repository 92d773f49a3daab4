package linkemu

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/testcontainers/testcontainers-go"
)

// options are the module's settings; Run applies the Options among its
// customizers to them.
type options struct {
	clusters       []string
	apiKeys        map[string]string
	advertisedHost string
}

func defaultOptions() options {
	return options{clusters: []string{"lkc-east", "lkc-west"}, apiKeys: map[string]string{}}
}

// Compile-time check that Option is a testcontainers.ContainerCustomizer.
var _ testcontainers.ContainerCustomizer = (Option)(nil)

// Option configures the linkemu container. Pass Options to Run among other
// testcontainers customizers.
type Option func(*options) error

// Customize is a no-op: Run applies Options itself, because they decide
// the command line and the port bindings together.
func (o Option) Customize(*testcontainers.GenericContainerRequest) error { return nil }

// WithClusters sets the IDs of the embedded Kafka clusters, replacing the
// default lkc-east and lkc-west. Each gets a Kafka port of its own.
func WithClusters(ids ...string) Option {
	return func(o *options) error {
		if len(ids) == 0 {
			return errors.New("WithClusters: give at least one cluster ID")
		}
		for i, id := range ids {
			if id == "" || strings.ContainsAny(id, "=@ \t\n;") {
				return fmt.Errorf("WithClusters: cluster ID %q cannot be empty or contain '=', '@', ';' or spaces", id)
			}
			if slices.Contains(ids[:i], id) {
				return fmt.Errorf("WithClusters: cluster ID %q is given twice", id)
			}
		}
		o.clusters = slices.Clone(ids)
		return nil
	}
}

// WithAPIKey requires HTTP Basic auth with key and secret on the v3 REST
// API, as Confluent Cloud does. Repeat it for several keys.
func WithAPIKey(key, secret string) Option {
	return func(o *options) error {
		if key == "" || secret == "" || strings.ContainsAny(key, ": \t\n;") || strings.ContainsAny(secret, " \t\n;") {
			return errors.New("WithAPIKey: key and secret cannot be empty or contain spaces or ';', and the key cannot contain ':'")
		}
		o.apiKeys[key] = secret
		return nil
	}
}

// WithAdvertisedHost sets the host the Kafka clusters advertise to
// clients. The default is the Docker host as testcontainers reaches it
// (usually localhost), which is right for clients on the machine running
// the tests.
func WithAdvertisedHost(host string) Option {
	return func(o *options) error {
		if host == "" {
			return errors.New("WithAdvertisedHost: the host cannot be empty")
		}
		o.advertisedHost = host
		return nil
	}
}
