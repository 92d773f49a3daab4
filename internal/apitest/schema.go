package apitest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	kafkarestapi "github.com/confluentinc/ccloud-sdk-go-v2/kafkarest/v3/api"
	"github.com/getkin/kin-openapi/openapi3"
)

var (
	schemasOnce sync.Once
	schemasDoc  *openapi3.T
	schemasErr  error
)

// ValidateSchema checks a body against one of the component schemas of
// Confluent's spec, by name (e.g. "BrokerDataList"). It serves routes the
// Cloud spec has no path for but whose body schema it defines, such as
// /brokers, which Confluent Platform serves.
func ValidateSchema(t testing.TB, body []byte, schema string) {
	t.Helper()
	if err := SchemaError(body, schema); err != nil {
		t.Errorf("body does not match schema %s of Confluent's OpenAPI spec: %.1500v\nbody: %s", schema, err, body)
	}
}

// SchemaError returns why body does not match the named component schema,
// or nil.
func SchemaError(body []byte, schema string) error {
	schemasOnce.Do(func() {
		schemasDoc, schemasErr = openapi3.NewLoader().LoadFromData(kafkarestapi.GetSpec())
	})
	if schemasErr != nil {
		return schemasErr
	}
	ref, ok := schemasDoc.Components.Schemas[schema]
	if !ok || ref.Value == nil {
		return fmt.Errorf("the spec has no schema %q", schema)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return ref.Value.VisitJSON(v)
}
