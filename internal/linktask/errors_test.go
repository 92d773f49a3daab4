package linktask

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/linkemu/linkemu"
)

func TestTaskError(t *testing.T) {
	tests := []struct {
		err  error
		code string
	}{
		{kerr.SaslAuthenticationFailed, "AUTHENTICATION_ERROR"},
		{kerr.IllegalSaslState, "AUTHENTICATION_ERROR"},
		{kerr.UnsupportedSaslMechanism, "AUTHENTICATION_ERROR"},
		{kerr.ClusterAuthorizationFailed, "AUTHORIZATION_ERROR"},
		{kerr.TopicAuthorizationFailed, "AUTHORIZATION_ERROR"},
		{kerr.GroupAuthorizationFailed, "AUTHORIZATION_ERROR"},
		{kerr.TransactionalIDAuthorizationFailed, "AUTHORIZATION_ERROR"},
		{kerr.DelegationTokenAuthorizationFailed, "AUTHORIZATION_ERROR"},
		{kerr.SecurityDisabled, "SECURITY_DISABLED_ERROR"},
		{kerr.UnknownTopicOrPartition, "UNKNOWN_TOPIC_OR_PARTITION_ERROR"},
		{kerr.UnknownTopicID, "UNKNOWN_TOPIC_OR_PARTITION_ERROR"},
		{kerr.TopicAlreadyExists, "TOPIC_EXISTS_ERROR"},
		{kerr.InvalidTopicException, "INVALID_TOPIC"},
		{kerr.InvalidRequest, "INVALID_REQUEST_ERROR"},
		{kerr.PolicyViolation, "POLICY_VIOLATION_ERROR"},
		{kerr.NotLeaderForPartition, "INTERNAL_ERROR"},
		{errors.New("store is closed"), "INTERNAL_ERROR"},
		{fmt.Errorf("describing ACLs on the source cluster: %w", kerr.ClusterAuthorizationFailed), "AUTHORIZATION_ERROR"},
	}
	for _, tt := range tests {
		got := TaskError(tt.err)
		if want := (linkemu.TaskError{Code: tt.code, Message: tt.err.Error()}); got != want {
			t.Errorf("TaskError(%v) = %+v, want %+v", tt.err, got, want)
		}
	}
}

func TestPassTask(t *testing.T) {
	if got, want := passTask("AclSync", nil), (linkemu.Task{Name: "AclSync", State: "ACTIVE", Errors: []linkemu.TaskError{}}); !reflect.DeepEqual(got, want) {
		t.Errorf("passTask without errors = %#v, want %#v", got, want)
	}
	var errs []linkemu.TaskError
	for i := range 12 {
		errs = append(errs, linkemu.TaskError{Code: "INTERNAL_ERROR", Message: fmt.Sprint(i)})
	}
	got := passTask("AclSync", errs[:10])
	if got.State != "IN_ERROR" || !reflect.DeepEqual(got.Errors, errs[:10]) {
		t.Errorf("passTask with 10 errors = %+v, want IN_ERROR with all of them", got)
	}
	got = passTask("AclSync", errs)
	want := append(append([]linkemu.TaskError{}, errs[:10]...), linkemu.TaskError{Code: "SUPPRESSED_ERRORS", Message: "2 more errors were suppressed."})
	if got.State != "IN_ERROR" || !reflect.DeepEqual(got.Errors, want) {
		t.Errorf("passTask with 12 errors = %+v, want the first 10 and SUPPRESSED_ERRORS", got)
	}
}
