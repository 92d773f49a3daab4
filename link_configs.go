package linkemu

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ConfigType is the type of a link config value.
type ConfigType string

// Config types.
const (
	TypeString   ConfigType = "STRING"
	TypeBoolean  ConfigType = "BOOLEAN"
	TypeInt      ConfigType = "INT"
	TypeLong     ConfigType = "LONG"
	TypeList     ConfigType = "LIST"
	TypePassword ConfigType = "PASSWORD"
	TypeJSON     ConfigType = "JSON"
	TypeEnum     ConfigType = "ENUM"
)

// Config sources as reported on the wire.
const (
	SourceDynamicLink = "DYNAMIC_CLUSTER_LINK_CONFIG"
	SourceDefault     = "DEFAULT_CONFIG"
)

// ConfigDef describes one link config: its type, default and rules.
type ConfigDef struct {
	Name    string
	Type    ConfigType
	Default string // "" means no default value
	Doc     string

	// Immutable configs can only be set when the link is created.
	Immutable bool
	// Min is the lowest value allowed for INT and LONG configs.
	Min int64
	// Values lists the allowed values of an ENUM config, upper case.
	Values []string
	// check validates the normalized value beyond its type.
	check func(string) error
}

// Sensitive reports whether the config holds a secret that is stored but
// never returned.
func (d *ConfigDef) Sensitive() bool { return d.Type == TypePassword }

// ClusterLinkPrefixMaxLen is the longest cluster.link.prefix allowed.
// Confluent documents a limit of 12 characters.
const ClusterLinkPrefixMaxLen = 12

var prefixRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

func securityProtocols() []string { return []string{"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"} }
func saslMechanisms() []string {
	return []string{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"}
}

// linkConfigDefs is the schema of every link config linkemu accepts: those
// named by Confluent's docs, CLI and Terraform provider.
var linkConfigDefs = []*ConfigDef{
	{Name: CfgBootstrapServers, Type: TypeList, Doc: "Remote cluster bootstrap servers, host:port[,host:port...]. May be omitted when the remote cluster is one the emulator serves.", check: checkBootstrap},
	{Name: CfgLinkMode, Type: TypeEnum, Default: string(ModeDestination), Immutable: true, Values: []string{"DESTINATION", "SOURCE", "BIDIRECTIONAL"}, Doc: "Which side of the link this cluster is."},
	{Name: CfgConnectionMode, Type: TypeEnum, Default: string(ConnOutbound), Immutable: true, Values: []string{"OUTBOUND", "INBOUND"}, Doc: "Whether this side opens the connection."},
	{Name: CfgRemoteConnMode, Type: TypeEnum, Immutable: true, Values: []string{"OUTBOUND", "INBOUND"}, Doc: "Connection mode of the remote side of a bidirectional link."},
	{Name: CfgClusterLinkPrefix, Type: TypeString, Immutable: true, check: checkPrefix, Doc: "Prefix of mirror topic names (and of synced group names with consumer.group.prefix.enable)."},
	{Name: CfgConsumerGroupPrefix, Type: TypeBoolean, Default: "false", Doc: "Prefix synced consumer group names with cluster.link.prefix."},
	{Name: CfgOffsetSyncEnable, Type: TypeBoolean, Default: "false", Doc: "Sync consumer group offsets of mirror topics."},
	{Name: CfgOffsetSyncMs, Type: TypeInt, Default: "30000", Min: 1000, Doc: "Interval of consumer offset sync, in milliseconds."},
	{Name: CfgOffsetGroupFilter, Type: TypeJSON, check: checkFilter(ParseGroupFilters), Doc: `Groups to sync: {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.`},
	{Name: CfgACLSyncEnable, Type: TypeBoolean, Default: "false", Doc: "Sync ACLs from the source cluster."},
	{Name: CfgACLSyncMs, Type: TypeInt, Default: "5000", Min: 1000, Doc: "Interval of ACL sync, in milliseconds."},
	{Name: CfgACLFilters, Type: TypeJSON, check: checkFilter(ParseACLFilters), Doc: "ACLs to sync, as aclFilters JSON."},
	{Name: CfgAutoCreateEnable, Type: TypeBoolean, Default: "false", Doc: "Create mirror topics for matching source topics."},
	{Name: CfgAutoCreateFilters, Type: TypeJSON, check: checkFilter(ParseTopicFilters), Doc: "Source topics to mirror automatically, as topicFilters JSON."},
	{Name: CfgTopicConfigSyncMs, Type: TypeInt, Default: "5000", Min: 1000, Doc: "Interval of mirror topic config sync, in milliseconds."},
	{Name: CfgTopicConfigSyncInclude, Type: TypeList, Doc: "Extra topic configs to sync to mirror topics."},
	{Name: CfgMirrorStartOffsetSpec, Type: TypeString, Default: "earliest", check: checkStartSpec, Doc: "Where new mirror topics start: earliest, latest or an ISO-8601 timestamp."},
	{Name: CfgLinkPaused, Type: TypeBoolean, Default: "false", Doc: "Pause the whole link."},
	{Name: CfgRetryTimeoutMs, Type: TypeInt, Default: "300000", Min: 0, Doc: "How long an unreachable remote cluster is retried before the link reports it."},
	{Name: CfgNumFetchers, Type: TypeInt, Default: "1", Min: 1, Doc: "Fetcher threads of the link (accepted; linkemu uses one worker per link)."},
	{Name: CfgSecurityProtocol, Type: TypeEnum, Default: "PLAINTEXT", Values: securityProtocols(), Doc: "Protocol used to reach the remote cluster."},
	{Name: CfgSASLMechanism, Type: TypeEnum, Default: "GSSAPI", Values: saslMechanisms(), Doc: "SASL mechanism used to reach the remote cluster."},
	{Name: CfgSASLJAASConfig, Type: TypePassword, Doc: "JAAS login line with the remote credentials."},
	{Name: "sasl.oauthbearer.token.endpoint.url", Type: TypeString, Doc: "OAuth token endpoint (accepted, not used by linkemu)."},
	{Name: "sasl.login.callback.handler.class", Type: TypeString, Doc: "Login callback handler (accepted, not used by linkemu)."},
	{Name: "sasl.client.callback.handler.class", Type: TypeString, Doc: "Client callback handler (accepted, not used by linkemu)."},
	{Name: "ssl.endpoint.identification.algorithm", Type: TypeString, Default: "https", Doc: "Verify the remote host name (https) or not (empty)."},
	{Name: "ssl.truststore.type", Type: TypeString, Default: "JKS", Doc: "Truststore type; linkemu reads PEM."},
	{Name: "ssl.truststore.location", Type: TypeString, Doc: "Path of a PEM file of CA certificates."},
	{Name: "ssl.truststore.password", Type: TypePassword, Doc: "Truststore password."},
	{Name: "ssl.truststore.certificates", Type: TypePassword, Doc: "PEM CA certificates, inline."},
	{Name: "ssl.keystore.type", Type: TypeString, Default: "JKS", Doc: "Keystore type; linkemu reads PEM."},
	{Name: "ssl.keystore.location", Type: TypeString, Doc: "Path of a PEM file with the client certificate and key."},
	{Name: "ssl.keystore.password", Type: TypePassword, Doc: "Keystore password."},
	{Name: "ssl.key.password", Type: TypePassword, Doc: "Private key password."},
	{Name: "ssl.keystore.key", Type: TypePassword, Doc: "PEM private key, inline."},
	{Name: "ssl.keystore.certificate.chain", Type: TypePassword, Doc: "PEM client certificate chain, inline."},
	{Name: CfgLocalSecurityProtocol, Type: TypeEnum, Values: securityProtocols(), Doc: "Protocol a source-initiated link uses to reach its local cluster."},
	{Name: CfgLocalSASLMechanism, Type: TypeEnum, Values: saslMechanisms(), Doc: "SASL mechanism for the local cluster."},
	{Name: CfgLocalSASLJAASConfig, Type: TypePassword, Doc: "JAAS login line for the local cluster."},
	{Name: CfgLocalListener, Type: TypeString, Doc: "Listener of the local cluster."},
	{Name: "local.ssl.truststore.location", Type: TypeString, Doc: "Local cluster truststore."},
	{Name: "local.ssl.truststore.password", Type: TypePassword, Doc: "Local cluster truststore password."},
	{Name: "local.ssl.keystore.location", Type: TypeString, Doc: "Local cluster keystore."},
	{Name: "local.ssl.keystore.password", Type: TypePassword, Doc: "Local cluster keystore password."},
	{Name: "local.ssl.key.password", Type: TypePassword, Doc: "Local cluster key password."},
	{Name: "request.timeout.ms", Type: TypeInt, Default: "30000", Min: 1, Doc: "Timeout of requests to the remote cluster."},
	{Name: "metadata.max.age.ms", Type: TypeLong, Default: "300000", Min: 0, Doc: "Accepted for compatibility."},
	{Name: "retry.backoff.ms", Type: TypeLong, Default: "100", Min: 0, Doc: "Accepted for compatibility."},
	{Name: "connections.max.idle.ms", Type: TypeLong, Default: "540000", Min: 0, Doc: "Accepted for compatibility."},
	{Name: "client.dns.lookup", Type: TypeString, Default: "use_all_dns_ips", Doc: "Accepted for compatibility."},
}

var linkConfigIndex = func() map[string]*ConfigDef {
	m := make(map[string]*ConfigDef, len(linkConfigDefs))
	for _, d := range linkConfigDefs {
		m[d.Name] = d
	}
	return m
}()

// linkConfigNames returns the name of every link config linkemu knows.
func linkConfigNames() []string {
	out := make([]string, 0, len(linkConfigDefs))
	for _, d := range linkConfigDefs {
		out = append(out, d.Name)
	}
	return out
}

// LinkConfigDef returns the definition of a link config, or nil if linkemu
// does not know it.
func LinkConfigDef(name string) *ConfigDef { return linkConfigIndex[name] }

// LinkConfigDefs returns every link config definition, sorted by name.
func LinkConfigDefs() []*ConfigDef {
	out := append([]*ConfigDef(nil), linkConfigDefs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// NormalizeLinkConfig checks one config value against its definition and
// returns it in canonical form (enums upper case, booleans lower case, lists
// without blanks).
func NormalizeLinkConfig(name, value string) (string, error) {
	d := linkConfigIndex[name]
	if d == nil {
		return "", Errorf(EINVALID, "Unknown cluster link config %q.%s See the configuration reference for the configs a link accepts.", name, DidYouMean(name, linkConfigNames()))
	}
	v := strings.TrimSpace(value)
	switch d.Type {
	case TypeBoolean:
		switch strings.ToLower(v) {
		case "true", "false":
			v = strings.ToLower(v)
		default:
			return "", Errorf(EINVALID, "Invalid value %q for configuration %s: expected a boolean, true or false.", value, name)
		}
	case TypeInt, TypeLong:
		rg := Range{Min: d.Min, Max: 1<<63 - 1}
		if d.Type == TypeInt {
			rg.Max = 1<<31 - 1
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil && n < d.Min {
			return "", Errorf(EINVALID, "Invalid value %d for configuration %s: value must be at least %d.", n, name, d.Min)
		}
		if err != nil || !rg.Contains(n) {
			return "", Errorf(EINVALID, "Invalid value %q for configuration %s: expected a whole number %s.", value, name, rg)
		}
		v = strconv.FormatInt(n, 10)
	case TypeEnum:
		up := strings.ToUpper(v)
		if !slices.Contains(d.Values, up) {
			return "", Errorf(EINVALID, "Invalid value %q for configuration %s: expected one of %s.", value, name, strings.Join(d.Values, ", "))
		}
		v = up
	case TypeList:
		parts := strings.Split(v, ",")
		kept := parts[:0]
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				kept = append(kept, p)
			}
		}
		v = strings.Join(kept, ",")
	case TypePassword:
		v = value // secrets are kept byte for byte
	}
	if d.check != nil {
		if err := d.check(v); err != nil {
			if ErrorCode(err) == EINVALID {
				return "", err
			}
			return "", Errorf(EINVALID, "Invalid value for configuration %s: %s", name, err)
		}
	}
	return v, nil
}

// NormalizeLinkConfigs normalizes every config of a create or alter request.
func NormalizeLinkConfigs(in map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(in))
	for _, name := range sortedKeys(in) {
		v, err := NormalizeLinkConfig(name, in[name])
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	return out, nil
}

// CheckLinkConfigs checks the rules that tie configs of one link together.
// configs holds the link's user-set configs, already normalized.
func CheckLinkConfigs(configs map[string]string) error {
	get := func(name string) string { return effective(configs, name) }
	prefix := get(CfgClusterLinkPrefix)
	mode := LinkMode(get(CfgLinkMode))
	if get(CfgConsumerGroupPrefix) == "true" {
		if mode == ModeBidirectional {
			return Errorf(EINVALID, "Invalid configuration: %s cannot be enabled on a bidirectional link.", CfgConsumerGroupPrefix)
		}
		if prefix == "" {
			return Errorf(EINVALID, "Invalid configuration: %s=true requires %s to be set.", CfgConsumerGroupPrefix, CfgClusterLinkPrefix)
		}
	}
	if get(CfgACLSyncEnable) == "true" && prefix != "" {
		return Errorf(EINVALID, "Invalid configuration: ACL sync (%s=true) cannot be enabled on a link with %s, because synced ACLs would name the unprefixed topics.", CfgACLSyncEnable, CfgClusterLinkPrefix)
	}
	if ConnectionMode(get(CfgConnectionMode)) == ConnInbound && mode == ModeSource {
		return Errorf(EINVALID, "Invalid configuration: a link with %s=SOURCE must use %s=OUTBOUND.", CfgLinkMode, CfgConnectionMode)
	}
	return nil
}

// featureFilters maps each feature's enable flag to the filter config that
// setting the flag to false clears.
var featureFilters = map[string]string{
	CfgOffsetSyncEnable: CfgOffsetGroupFilter,
	CfgACLSyncEnable:    CfgACLFilters,
	CfgAutoCreateEnable: CfgAutoCreateFilters,
}

// AlterLinkConfigs returns a copy of l with the given configs set and reset.
// sets must already be normalized. Immutable configs cannot change; turning
// a feature's enable flag off clears its filters, as Confluent does.
func AlterLinkConfigs(l *Link, sets map[string]string, resets []string) (*Link, error) {
	out := l.Clone()
	for _, name := range resets {
		d := linkConfigIndex[name]
		if d == nil {
			return nil, Errorf(EINVALID, "Unknown cluster link config %q.%s", name, DidYouMean(name, linkConfigNames()))
		}
		if d.Immutable {
			if _, set := l.Configs[name]; set {
				return nil, Errorf(EINVALID, "Cannot reset configuration %s: it is set when the link is created and cannot be changed. Delete and recreate the link to change it.", name)
			}
		}
		delete(out.Configs, name)
	}
	for _, name := range sortedKeys(sets) {
		v := sets[name]
		d := linkConfigIndex[name]
		if d.Immutable && v != effective(l.Configs, name) {
			return nil, Errorf(EINVALID, "Cannot alter configuration %s from %q to %q: it is set when the link is created and cannot be changed. Delete and recreate the link to change it.", name, effective(l.Configs, name), v)
		}
		out.Configs[name] = v
	}
	for flag, filter := range featureFilters {
		if effective(out.Configs, flag) == "false" {
			delete(out.Configs, filter)
		}
	}
	if err := CheckLinkConfigs(out.Configs); err != nil {
		return nil, err
	}
	return out, nil
}

// ConfigEntry is one link config as reported by the REST API.
type ConfigEntry struct {
	Name      string
	Value     *string // nil for secrets and for configs with no value
	Source    string
	IsDefault bool
	ReadOnly  bool
	Sensitive bool
}

// ConfigEntries returns every known config of the link with its effective
// value, sorted by name. Secrets are reported without their value.
func (l *Link) ConfigEntries() []ConfigEntry {
	defs := LinkConfigDefs()
	out := make([]ConfigEntry, 0, len(defs))
	for _, d := range defs {
		e, ok := l.ConfigEntry(d.Name)
		if ok {
			out = append(out, e)
		}
	}
	return out
}

// ConfigEntry returns one config of the link as the REST API reports it.
func (l *Link) ConfigEntry(name string) (ConfigEntry, bool) {
	d := linkConfigIndex[name]
	if d == nil {
		return ConfigEntry{}, false
	}
	e := ConfigEntry{Name: name, Sensitive: d.Sensitive(), ReadOnly: d.Immutable}
	v, set := l.Configs[name]
	if set {
		e.Source = SourceDynamicLink
	} else {
		e.Source, e.IsDefault, v = SourceDefault, true, d.Default
	}
	if !e.Sensitive {
		e.Value = &v
	}
	return e, true
}

// Config returns the effective value of a config: the user's, or the default.
func (l *Link) Config(name string) string { return effective(l.Configs, name) }

// ConfigBool returns a boolean config's effective value.
func (l *Link) ConfigBool(name string) bool { return l.Config(name) == "true" }

// ConfigDuration returns a millisecond config's effective value.
func (l *Link) ConfigDuration(name string) time.Duration {
	n, _ := strconv.ParseInt(l.Config(name), 10, 64)
	return time.Duration(n) * time.Millisecond
}

// ConfigList returns a list config's effective value.
func (l *Link) ConfigList(name string) []string {
	v := l.Config(name)
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func effective(configs map[string]string, name string) string {
	if v, ok := configs[name]; ok {
		return v
	}
	if d := linkConfigIndex[name]; d != nil {
		return d.Default
	}
	return ""
}

func checkBootstrap(v string) error {
	if v == "" {
		return fmt.Errorf("give at least one host:port")
	}
	for _, hp := range strings.Split(v, ",") {
		hp = BootstrapAddress(hp)
		i := strings.LastIndexByte(hp, ':')
		if i <= 0 || i == len(hp)-1 {
			return fmt.Errorf("%q is not host:port", hp)
		}
		if p, err := strconv.Atoi(hp[i+1:]); err != nil || p <= 0 || p > 65535 {
			return fmt.Errorf("%q has an invalid port", hp)
		}
	}
	return nil
}

// BootstrapAddress returns the host:port of one bootstrap.servers entry,
// dropping the optional listener prefix Kafka clients accept and Confluent
// Cloud prints (SASL_SSL://host:port). As in Kafka clients, the prefix does
// not choose the protocol; security.protocol does.
func BootstrapAddress(entry string) string {
	entry = strings.TrimSpace(entry)
	if i := strings.Index(entry, "://"); i >= 0 {
		return entry[i+3:]
	}
	return entry
}

func checkPrefix(v string) error {
	switch {
	case v == "":
		return fmt.Errorf("the prefix cannot be empty; leave the config out for no prefix")
	case len(v) > ClusterLinkPrefixMaxLen:
		return fmt.Errorf("%q is longer than %d characters", v, ClusterLinkPrefixMaxLen)
	case !prefixRE.MatchString(v):
		return fmt.Errorf("%q may only contain ASCII letters, digits, '.', '_' and '-'", v)
	}
	return nil
}

func checkStartSpec(v string) error {
	switch strings.ToLower(v) {
	case "earliest", "latest":
		return nil
	}
	if _, err := ParseStartTimestamp(v); err != nil {
		return fmt.Errorf("%q must be earliest, latest or an ISO-8601 timestamp such as 2024-01-31T12:00:00Z", v)
	}
	return nil
}

// ParseStartTimestamp parses the ISO-8601 form of mirror.start.offset.spec.
func ParseStartTimestamp(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO-8601 timestamp")
}

// checkFilter validates a filter config with its parser, whose errors
// already name the config and the bad field.
func checkFilter[F any](parse func(string) (F, error)) func(string) error {
	return func(v string) error {
		_, err := parse(v)
		return err
	}
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
