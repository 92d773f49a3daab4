package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// TestPartitionsAndBrokersOverREST lists a topic's partitions and the
// cluster's brokers and checks them against what the brokers advertise.
func TestPartitionsAndBrokersOverREST(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	adm := admin(t, env.Bootstrap("lkc-east"))
	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 3}); r.Status != 201 {
		t.Fatalf("create topic: %d %s", r.Status, r.Body)
	}
	brokers, err := adm.ListBrokers(context.Background())
	if err != nil || len(brokers) != 1 {
		t.Fatalf("list brokers with kadm: %v %v", err, brokers)
	}
	b := brokers[0]
	id := strconv.Itoa(int(b.NodeID))

	// Partitions, under both mounts.
	for _, prefix := range []string{"/kafka/v3", "/v3"} {
		base := prefix + "/clusters/lkc-east/topics/orders/partitions"
		r := env.Do(http.MethodGet, base, nil)
		if r.Status != 200 {
			t.Fatalf("GET %s: %d %s", base, r.Status, r.Body)
		}
		apitest.ValidateSpec(t, r)
		var list struct {
			Kind string `json:"kind"`
			Data []struct {
				Kind        string `json:"kind"`
				TopicName   string `json:"topic_name"`
				PartitionID int32  `json:"partition_id"`
				Leader      struct {
					Related string `json:"related"`
				} `json:"leader"`
			} `json:"data"`
		}
		r.JSON(t, &list)
		if list.Kind != "KafkaPartitionList" || len(list.Data) != 3 {
			t.Fatalf("partitions: %s", r.Body)
		}
		for i, p := range list.Data {
			wantLeader := env.RESTURL + base + "/" + strconv.Itoa(i) + "/replicas/" + id
			if p.Kind != "KafkaPartition" || p.TopicName != "orders" || p.PartitionID != int32(i) || p.Leader.Related != wantLeader {
				t.Errorf("partition %d: %+v, want leader %s", i, p, wantLeader)
			}
		}
		r = env.Do(http.MethodGet, base+"/2", nil)
		if r.Status != 200 || r.Map(t)["partition_id"] != float64(2) {
			t.Errorf("GET %s/2: %d %s", base, r.Status, r.Body)
		}
		apitest.ValidateSpec(t, r)
	}
	sdkP, _, err := env.SDK().PartitionV3Api.GetKafkaPartition(context.Background(), "lkc-east", "orders", 1).Execute()
	if err != nil || sdkP.PartitionId != 1 {
		t.Errorf("SDK get partition: %v %+v", err, sdkP)
	}

	// Brokers: the Cloud spec has no broker routes, so the bodies are
	// checked against its BrokerData schemas.
	r := env.Do(http.MethodGet, apitest.ClusterPath("lkc-east", "/brokers"), nil)
	if r.Status != 200 {
		t.Fatalf("list brokers: %d %s", r.Status, r.Body)
	}
	apitest.ValidateSchema(t, r.Body, "BrokerDataList")
	var bl struct {
		Kind string `json:"kind"`
		Data []struct {
			Kind     string  `json:"kind"`
			BrokerID int32   `json:"broker_id"`
			Host     string  `json:"host"`
			Port     int32   `json:"port"`
			Rack     *string `json:"rack"`
		} `json:"data"`
	}
	r.JSON(t, &bl)
	if bl.Kind != "KafkaBrokerList" || len(bl.Data) != 1 || bl.Data[0].Kind != "KafkaBroker" || bl.Data[0].BrokerID != b.NodeID ||
		bl.Data[0].Host+":"+strconv.Itoa(int(bl.Data[0].Port)) != env.Bootstrap("lkc-east") {
		t.Errorf("brokers: %s, want broker %d at %s", r.Body, b.NodeID, env.Bootstrap("lkc-east"))
	}
	r = env.Do(http.MethodGet, apitest.ClusterPath("lkc-east", "/brokers/", id), nil)
	if r.Status != 200 {
		t.Fatalf("get broker: %d %s", r.Status, r.Body)
	}
	apitest.ValidateSchema(t, r.Body, "BrokerData")
	if err := apitest.SchemaError([]byte(`{"kind":"KafkaBroker","metadata":{"self":"x"}}`), "BrokerData"); err == nil {
		t.Error("the schema check accepts a broker without broker_id")
	}

	cases := []struct {
		name, path   string
		status, code int
		msg          string
	}{
		{"partitions of unknown topic", apitest.ClusterPath("lkc-east", "/topics/missing/partitions"), 404, 40403, "This server does not host this topic-partition."},
		{"unknown partition", apitest.ClusterPath("lkc-east", "/topics/orders/partitions/3"), 404, 40403, "This server does not host this topic-partition."},
		{"partition ID not a number", apitest.ClusterPath("lkc-east", "/topics/orders/partitions/x"), 400, 400, "java.lang.Integer"},
		{"unknown broker", apitest.ClusterPath("lkc-east", "/brokers/42"), 404, 404, "Broker 42 could not be found."},
		{"broker ID not a number", apitest.ClusterPath("lkc-east", "/brokers/first"), 400, 400, "java.lang.Integer"},
		{"brokers of unknown cluster", apitest.ClusterPath("lkc-nope", "/brokers"), 404, 404, "lkc-nope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := env.Do(http.MethodGet, c.path, nil)
			if strings.Contains(c.path, "/brokers") {
				// No broker route in the Cloud spec: check the error shape only.
				if r.Status != c.status || apitest.SchemaError(r.Body, "Error") != nil || !strings.Contains(string(r.Body), c.msg) || !strings.Contains(string(r.Body), `"error_code":`+strconv.Itoa(c.code)) {
					t.Errorf("%d %s: want %d, error_code %d, message with %q", r.Status, r.Body, c.status, c.code, c.msg)
				}
				return
			}
			checkError(t, r, c.status, c.code, c.msg)
		})
	}
}
