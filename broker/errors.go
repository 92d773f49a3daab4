package broker

import (
	"context"
	"errors"
	"strings"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kerr"
)

// kafkaError turns a Kafka error into a linkemu error whose message names the
// object. what describes the object, e.g. "Topic 'orders'".
func kafkaError(err error, what string) error {
	if err == nil {
		return nil
	}
	var le *linkemu.Error
	if errors.As(err, &le) {
		return err
	}
	var ke *kerr.Error
	if !errors.As(err, &ke) {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return linkemu.Errorf(linkemu.EUNAVAILABLE, "%s: the cluster did not answer in time; check that its brokers are up.", what)
		}
		return linkemu.Errorf(linkemu.EUNAVAILABLE, "%s: cannot reach the cluster: %v", what, err)
	}
	switch ke {
	case kerr.UnknownTopicOrPartition, kerr.UnknownTopicID:
		return linkemu.Errorf(linkemu.EUNKNOWNTOPIC, "This server does not host this topic-partition.")
	case kerr.TopicAlreadyExists:
		return linkemu.Errorf(linkemu.ECONFLICT, "%s already exists.", what)
	case kerr.InvalidPartitions, kerr.InvalidReplicationFactor, kerr.InvalidReplicaAssignment,
		kerr.InvalidConfig, kerr.InvalidRequest, kerr.PolicyViolation, kerr.InvalidTopicException,
		kerr.UnsupportedVersion, kerr.InvalidRecord, kerr.SecurityDisabled:
		msg := ke.Description
		// The broker's own message, when there is one, says which value
		// was wrong (e.g. "Invalid value x for configuration retention.ms").
		if detail, ok := strings.CutPrefix(err.Error(), ke.Error()+": "); ok && detail != "" {
			msg += " " + detail
		}
		return linkemu.Errorf(linkemu.EINVALID, "%s: %s", what, msg)
	case kerr.TopicAuthorizationFailed, kerr.ClusterAuthorizationFailed, kerr.GroupAuthorizationFailed:
		return linkemu.Errorf(linkemu.EFORBIDDEN, "Request is not authorized: %s", ke.Description)
	case kerr.SaslAuthenticationFailed:
		return linkemu.Errorf(linkemu.EUNAUTHORIZED, "Authentication failed")
	case kerr.BrokerNotAvailable, kerr.LeaderNotAvailable, kerr.NotController, kerr.RequestTimedOut, kerr.CoordinatorNotAvailable,
		kerr.CoordinatorLoadInProgress, kerr.NotCoordinator:
		return linkemu.Errorf(linkemu.EUNAVAILABLE, "%s: %s", what, ke.Description)
	}
	return linkemu.Errorf(linkemu.EINTERNAL, "%s: %v", what, err)
}
