package server

import (
	"net/http"
	"strconv"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
)

// wireCodes maps linkemu's error codes to the HTTP status and the Kafka REST
// error_code Confluent uses for the same class of failure. This table is the
// only place where the mapping lives.
var wireCodes = map[string]struct{ status, code int }{
	linkemu.EINVALID:        {http.StatusBadRequest, 40002},
	linkemu.ECONFLICT:       {http.StatusBadRequest, 40002},
	linkemu.EQUOTA:          {http.StatusBadRequest, 40002},
	linkemu.EMALFORMED:      {http.StatusBadRequest, 400},
	linkemu.ETOOLARGE:       {http.StatusRequestEntityTooLarge, 413},
	linkemu.ENOTFOUND:       {http.StatusNotFound, 404},
	linkemu.EUNKNOWNTOPIC:   {http.StatusNotFound, 40403},
	linkemu.EUNAUTHORIZED:   {http.StatusUnauthorized, 40101},
	linkemu.EFORBIDDEN:      {http.StatusForbidden, 40301},
	linkemu.EUNAVAILABLE:    {http.StatusServiceUnavailable, 50302},
	linkemu.ENOTIMPLEMENTED: {http.StatusNotImplemented, 501},
	// Kafka REST answers a broker's retriable storage failure
	// (KafkaStorageException) with 500 and its retriable error code.
	linkemu.ESTORAGE:  {http.StatusInternalServerError, 50003},
	linkemu.EINTERNAL: {http.StatusInternalServerError, 500},
}

// statusOf returns the HTTP status linkemu answers for err, which is also
// the error_code of a per-topic failure inside a mirror action's 200.
func statusOf(err error) int {
	if wc, ok := wireCodes[linkemu.ErrorCode(err)]; ok {
		return wc.status
	}
	return http.StatusInternalServerError
}

// writeError writes err as {"error_code": N, "message": "..."} with the
// matching HTTP status.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	wc, ok := wireCodes[linkemu.ErrorCode(err)]
	if !ok {
		wc = wireCodes[linkemu.EINTERNAL]
	}
	writeErr(w, r, wc.status, wc.code, linkemu.ErrorMessage(err))
}

// cloudCodes maps linkemu's error codes to the HTTP status, code and title
// of a Confluent Cloud API error, for the /networking/v1 routes. Statuses,
// codes and titles follow the examples of Confluent's networking/v1 spec.
var cloudCodes = map[string]struct {
	status      int
	code, title string
}{
	linkemu.EINVALID:        {http.StatusUnprocessableEntity, "invalid_configuration", "Validation Failed"},
	linkemu.EMALFORMED:      {http.StatusBadRequest, "bad_request", "Bad Request"},
	linkemu.ETOOLARGE:       {http.StatusRequestEntityTooLarge, "request_entity_too_large", "Request Entity Too Large"},
	linkemu.ECONFLICT:       {http.StatusConflict, "conflict", "Conflict"},
	linkemu.EQUOTA:          {http.StatusPaymentRequired, "quota_exceeded", "Quota Exceeded"},
	linkemu.ENOTFOUND:       {http.StatusNotFound, "not_found", "Not Found"},
	linkemu.EUNKNOWNTOPIC:   {http.StatusNotFound, "not_found", "Not Found"},
	linkemu.EUNAUTHORIZED:   {http.StatusUnauthorized, "user_unauthenticated", "Authentication Required"},
	linkemu.EFORBIDDEN:      {http.StatusForbidden, "user_unauthorized", "User Access Unauthorized"},
	linkemu.EUNAVAILABLE:    {http.StatusServiceUnavailable, "service_unavailable", "Service Unavailable"},
	linkemu.ENOTIMPLEMENTED: {http.StatusNotImplemented, "not_implemented", "Not Implemented"},
	linkemu.ESTORAGE:        {http.StatusInsufficientStorage, "insufficient_storage", "Insufficient Storage"},
	linkemu.EINTERNAL:       {http.StatusInternalServerError, "internal_error", "Internal Server Error"},
}

// writeCloudError writes err as a Cloud API failure,
// {"errors":[{"id","status","code","title","detail"}]}, with the matching
// HTTP status.
func writeCloudError(w http.ResponseWriter, r *http.Request, err error) {
	cc, ok := cloudCodes[linkemu.ErrorCode(err)]
	if !ok {
		cc = cloudCodes[linkemu.EINTERNAL]
	}
	writeCloudErr(w, r, cc.status, cc.code, cc.title, linkemu.ErrorMessage(err))
}

// writeCloudErr writes a Cloud API failure body.
func writeCloudErr(w http.ResponseWriter, r *http.Request, status int, code, title, detail string) {
	writeJSON(w, r, status, api.CloudFailure{Errors: []api.CloudError{{
		ID: linkemu.NewUUID(), Status: strconv.Itoa(status), Code: code, Title: title, Detail: detail,
	}}})
}
