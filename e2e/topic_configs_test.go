package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// TestTopicConfigEdges: an empty topic name is a 404, not a cluster outage;
// PUT without a value is refused instead of resetting the config; DELETE of
// a config the topic does not have is a 404 as GET is.
func TestTopicConfigEdges(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	topics := apitest.ClusterPath("lkc-east", "/topics")
	if r := env.Do(http.MethodPost, topics, map[string]any{"topic_name": "t", "partitions_count": 1,
		"configs": []map[string]string{{"name": "retention.ms", "value": "12345"}}}); r.Status != 201 {
		t.Fatalf("create topic: %d %s", r.Status, r.Body)
	}
	for _, tc := range []struct {
		name         string
		method, path string
		body         any
		status, code int
		msg          string
	}{
		{"empty topic name, DELETE", http.MethodDelete, topics + "//configs/retention.ms", nil, 404, 404, "topic name"},
		{"empty topic name, GET", http.MethodGet, topics + "//configs/retention.ms", nil, 404, 404, "topic name"},
		{"empty topic name, PUT", http.MethodPut, topics + "//configs/retention.ms", map[string]any{"value": "1"}, 404, 404, "topic name"},
		{"PUT without value", http.MethodPut, topics + "/t/configs/retention.ms", map[string]any{}, 400, 40002, "value is required"},
		{"PUT with null value", http.MethodPut, topics + "/t/configs/retention.ms", map[string]any{"value": nil}, 400, 40002, "value is required"},
		{"DELETE of an unknown config", http.MethodDelete, topics + "/t/configs/no.such.config", nil, 404, 404, "no.such.config"},
		{"GET of an unknown config", http.MethodGet, topics + "/t/configs/no.such.config", nil, 404, 404, "no.such.config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := env.Do(tc.method, tc.path, tc.body)
			var body struct {
				ErrorCode int    `json:"error_code"`
				Message   string `json:"message"`
			}
			r.JSON(t, &body)
			if r.Status != tc.status || body.ErrorCode != tc.code || !strings.Contains(body.Message, tc.msg) {
				t.Errorf("got %d %s, want %d error_code %d with %q", r.Status, r.Body, tc.status, tc.code, tc.msg)
			}
		})
	}
	// The value PUT {} would have reset is still there.
	r := env.Do(http.MethodGet, topics+"/t/configs/retention.ms", nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"value":"12345"`) {
		t.Errorf("retention.ms after the refused PUT: %d %s", r.Status, r.Body)
	}
}
