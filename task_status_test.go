package linkemu_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/linkemu/linkemu"
)

func TestTaskStatus(t *testing.T) {
	errs := []linkemu.TaskError{{Code: linkemu.TaskErrAuthorization, Message: "denied"}}
	tests := []struct {
		name string
		own  linkemu.Task
		link linkemu.LinkState
		want linkemu.Task
	}{
		{"active link keeps state", linkemu.Task{Name: "AclSync", State: linkemu.TaskActive}, linkemu.LinkActive,
			linkemu.Task{Name: "AclSync", State: linkemu.TaskActive, Errors: []linkemu.TaskError{}}},
		{"active link keeps errors", linkemu.Task{Name: "AclSync", State: linkemu.TaskInError, Errors: errs}, linkemu.LinkActive,
			linkemu.Task{Name: "AclSync", State: linkemu.TaskInError, Errors: errs}},
		{"failed link", linkemu.Task{Name: "AclSync", State: linkemu.TaskInError, Errors: errs}, linkemu.LinkFailed,
			linkemu.Task{Name: "AclSync", State: linkemu.TaskLinkFailed, Errors: []linkemu.TaskError{}}},
		{"unavailable link", linkemu.Task{Name: "ConsumerOffsetSync", State: linkemu.TaskActive}, linkemu.LinkUnavailable,
			linkemu.Task{Name: "ConsumerOffsetSync", State: linkemu.TaskLinkUnavailable, Errors: []linkemu.TaskError{}}},
		{"paused link", linkemu.Task{Name: "AutoCreateMirror", State: linkemu.TaskActive}, linkemu.LinkPaused,
			linkemu.Task{Name: "AutoCreateMirror", State: linkemu.TaskLinkPaused, Errors: []linkemu.TaskError{}}},
		{"unknown link", linkemu.Task{Name: "AutoCreateMirror", State: linkemu.TaskActive}, linkemu.LinkUnknown,
			linkemu.Task{Name: "AutoCreateMirror", State: linkemu.TaskUnknown, Errors: []linkemu.TaskError{}}},
		{"not configured stays on a paused link", linkemu.Task{Name: "AclSync", State: linkemu.TaskNotConfigured}, linkemu.LinkPaused,
			linkemu.Task{Name: "AclSync", State: linkemu.TaskNotConfigured, Errors: []linkemu.TaskError{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linkemu.TaskStatus(tt.own, tt.link)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestTaskStatusWireShape(t *testing.T) {
	b, err := json.Marshal(linkemu.TaskStatus(linkemu.Task{Name: "AclSync", State: linkemu.TaskActive}, linkemu.LinkActive))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"task_name":"AclSync","state":"ACTIVE","errors":[]}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}
