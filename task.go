package linkemu

// Task names, as Confluent reports them in a link's tasks.
const (
	TaskAclSync            = "AclSync"
	TaskAutoCreateMirror   = "AutoCreateMirror"
	TaskConsumerOffsetSync = "ConsumerOffsetSync"
	TaskTopicConfigsSync   = "TopicConfigsSync"
)

// TaskState is the state of a link task (Confluent's LinkTaskState enum).
type TaskState string

// Task states.
const (
	TaskActive          TaskState = "ACTIVE"
	TaskInError         TaskState = "IN_ERROR"
	TaskNotConfigured   TaskState = "NOT_CONFIGURED"
	TaskLinkFailed      TaskState = "LINK_FAILED"
	TaskLinkUnavailable TaskState = "LINK_UNAVAILABLE"
	TaskLinkPaused      TaskState = "LINK_PAUSED"
	TaskUnknown         TaskState = "UNKNOWN"
)

// Task error codes (a subset of Confluent's LinkTaskErrorCode enum).
const (
	TaskErrInternal            = "INTERNAL_ERROR"
	TaskErrAuthentication      = "AUTHENTICATION_ERROR"
	TaskErrAuthorization       = "AUTHORIZATION_ERROR"
	TaskErrMisconfiguration    = "MISCONFIGURATION_ERROR"
	TaskErrConsumerGroupInUse  = "CONSUMER_GROUP_IN_USE_ERROR"
	TaskErrTopicExists         = "TOPIC_EXISTS_ERROR"
	TaskErrPolicyViolation     = "POLICY_VIOLATION_ERROR"
	TaskErrUnknownTopic        = "UNKNOWN_TOPIC_OR_PARTITION_ERROR"
	TaskErrInvalidTopic        = "INVALID_TOPIC"
	TaskErrInvalidRequest      = "INVALID_REQUEST_ERROR"
	TaskErrRemoteLinkNotFound  = "REMOTE_LINK_NOT_FOUND_ERROR"
	TaskErrRemoteMirrorMissing = "REMOTE_MIRROR_NOT_FOUND_ERROR"
	TaskErrSuppressed          = "SUPPRESSED_ERRORS"
)

// TaskError is one entry of a task's errors.
type TaskError struct {
	Code    string `json:"error_code"`
	Message string `json:"error_message"`
}

// Task is the status of one link task.
type Task struct {
	Name   string      `json:"task_name"`
	State  TaskState   `json:"state"`
	Errors []TaskError `json:"errors"`
}
