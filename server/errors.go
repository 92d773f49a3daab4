package server

import (
	"net/http"

	linkemu "github.com/linkemu/linkemu"
)

// wireCodes maps linkemu's error codes to the HTTP status and the Kafka REST
// error_code Confluent uses for the same class of failure. This table is the
// only place where the mapping lives.
var wireCodes = map[string]struct{ status, code int }{
	linkemu.EINVALID:        {http.StatusBadRequest, 40002},
	linkemu.ECONFLICT:       {http.StatusBadRequest, 40002},
	linkemu.EQUOTA:          {http.StatusBadRequest, 40002},
	linkemu.EMALFORMED:      {http.StatusBadRequest, 400},
	linkemu.ENOTFOUND:       {http.StatusNotFound, 404},
	linkemu.EUNKNOWNTOPIC:   {http.StatusNotFound, 40403},
	linkemu.EUNAUTHORIZED:   {http.StatusUnauthorized, 40101},
	linkemu.EFORBIDDEN:      {http.StatusForbidden, 40301},
	linkemu.EUNAVAILABLE:    {http.StatusServiceUnavailable, 50302},
	linkemu.ENOTIMPLEMENTED: {http.StatusNotImplemented, 501},
	linkemu.EINTERNAL:       {http.StatusInternalServerError, 500},
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
