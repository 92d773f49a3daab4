package manager

import linkemu "github.com/linkemu/linkemu"

// taskFeatures maps each task to the config that enables it.
var taskFeatures = []struct{ task, enable string }{
	{linkemu.TaskAclSync, linkemu.CfgACLSyncEnable},
	{linkemu.TaskAutoCreateMirror, linkemu.CfgAutoCreateEnable},
	{linkemu.TaskConsumerOffsetSync, linkemu.CfgOffsetSyncEnable},
}

// tasks reports the link's tasks. A task whose feature is off is
// NOT_CONFIGURED; one that is on but has no worker yet says so.
func (rt *linkRuntime) tasks(h linkHealth) []linkemu.Task {
	out := make([]linkemu.Task, 0, len(taskFeatures))
	for _, f := range taskFeatures {
		t := linkemu.Task{Name: f.task, State: linkemu.TaskNotConfigured, Errors: []linkemu.TaskError{}}
		if rt.link.ConfigBool(f.enable) {
			t.State = linkemu.TaskInError
			t.Errors = append(t.Errors, linkemu.TaskError{Code: linkemu.TaskErrInternal, Message: "This task is not implemented by linkemu yet."})
		}
		out = append(out, t)
	}
	return out
}
