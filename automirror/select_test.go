package automirror_test

import (
	"reflect"
	"testing"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/automirror"
)

func TestSelect(t *testing.T) {
	parse := func(s string) linkemu.TopicFilters {
		t.Helper()
		fs, err := linkemu.ParseTopicFilters(s)
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	all := parse(`{"topicFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`)
	orders := parse(`{"topicFilters":[
		{"name":"orders.","patternType":"PREFIXED","filterType":"INCLUDE"},
		{"name":"orders.tmp","patternType":"PREFIXED","filterType":"EXCLUDE"}]}`)
	topics := []string{"payments", "orders.eu", "__consumer_offsets", "_schemas", "__transaction_state",
		"_confluent-command", "orders.tmp.1", "west.orders", "orders.us", "orders.eu"}

	tests := []struct {
		name    string
		filters linkemu.TopicFilters
		skip    map[string]bool
		want    []string
	}{
		{"all but system topics", all, nil, []string{"orders.eu", "orders.tmp.1", "orders.us", "payments", "west.orders"}},
		{"prefix with exclude", orders, nil, []string{"orders.eu", "orders.us"}},
		{"skips mirrored and source mirrors", all, map[string]bool{"payments": true, "west.orders": true}, []string{"orders.eu", "orders.tmp.1", "orders.us"}},
		{"no filters", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := automirror.Select(tt.filters, topics, tt.skip); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Select = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIsSystemTopic(t *testing.T) {
	for topic, want := range map[string]bool{
		"__consumer_offsets": true, "_schemas": true, "_confluent-metrics": true, "orders": false, "orders_": false,
	} {
		if got := automirror.IsSystemTopic(topic); got != want {
			t.Errorf("IsSystemTopic(%q) = %v, want %v", topic, got, want)
		}
	}
}
