package linktask

import (
	"strconv"
	"time"

	"github.com/linkemu/linkemu"
)

// ParseBool reads the boolean config name from a link's configs: false when
// it is absent or empty. Errors are EINVALID *linkemu.Error, with false.
func ParseBool(configs map[string]string, name string) (bool, error) {
	v := configs[name]
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, linkemu.Errorf(linkemu.EINVALID, "Invalid value %q for %s: use true or false.", v, name)
	}
	return b, nil
}

// ParseInterval reads the config name, a positive number of milliseconds,
// from a link's configs: def when it is absent. Errors are EINVALID
// *linkemu.Error, with def.
func ParseInterval(configs map[string]string, name string, def time.Duration) (time.Duration, error) {
	v, ok := configs[name]
	if !ok {
		return def, nil
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms <= 0 {
		return def, linkemu.Errorf(linkemu.EINVALID, "Invalid value %q for %s: use a positive number of milliseconds, e.g. %d.", v, name, def.Milliseconds())
	}
	return time.Duration(ms) * time.Millisecond, nil
}
