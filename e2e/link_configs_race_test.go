package e2e

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/linkemu/linkemu/internal/apitest"
)

// TestConcurrentAltersLeaveTasksOnTheStoredConfigs alters one link's configs
// from many clients at once: task configs, which reconfigure the running
// tasks in place, beside a replication config, which restarts the link's
// runtime. Once every alter has answered, the tasks must run exactly the
// configs the link reads back: no alter may be lost between a restart and
// an in-place reconfiguration.
func TestConcurrentAltersLeaveTasksOnTheStoredConfigs(t *testing.T) {
	l := newLab(t)
	path := apitest.ClusterPath("lkc-west", "/links/east-to-west/configs:alter")
	for round := range 10 {
		var wg sync.WaitGroup
		for c := range 8 {
			wg.Go(func() {
				data := []map[string]string{{"name": "consumer.offset.sync.enable", "value": fmt.Sprint((c+round)%2 == 0)}}
				if c%3 == 0 {
					data = []map[string]string{{"name": "topic.config.sync.ms", "value": fmt.Sprint(5000 + 1000*c + round)}}
				}
				if r := l.Do(http.MethodPut, path, map[string]any{"data": data}); r.Status != 204 {
					t.Errorf("round %d client %d: configs:alter %d: %s", round, c, r.Status, r.Body)
				}
			})
		}
		wg.Wait()
		stored, _ := l.linkConfig(t, "consumer.offset.sync.enable")
		task := l.tasks(t)["ConsumerOffsetSync"]
		if configured := task.State != "NOT_CONFIGURED"; configured != (stored == "true") {
			t.Fatalf("round %d: consumer.offset.sync.enable reads %s but the task is %s", round, stored, task)
		}
	}
}
