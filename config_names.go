package linkemu

// Link config names. The schema (types, defaults, validation) is in
// link_configs.go.
const (
	CfgBootstrapServers = "bootstrap.servers"
	CfgLinkMode         = "link.mode"
	CfgConnectionMode   = "connection.mode"
	CfgRemoteConnMode   = "remote.link.connection.mode"

	CfgClusterLinkPrefix   = "cluster.link.prefix"
	CfgConsumerGroupPrefix = "consumer.group.prefix.enable"

	CfgOffsetSyncEnable  = "consumer.offset.sync.enable"
	CfgOffsetSyncMs      = "consumer.offset.sync.ms"
	CfgOffsetGroupFilter = "consumer.offset.group.filters"

	CfgACLSyncEnable = "acl.sync.enable"
	CfgACLSyncMs     = "acl.sync.ms"
	CfgACLFilters    = "acl.filters"

	CfgAutoCreateEnable  = "auto.create.mirror.topics.enable"
	CfgAutoCreateFilters = "auto.create.mirror.topics.filters"

	CfgTopicConfigSyncMs      = "topic.config.sync.ms"
	CfgTopicConfigSyncInclude = "topic.config.sync.include"
	CfgMirrorStartOffsetSpec  = "mirror.start.offset.spec"

	CfgLinkPaused       = "cluster.link.paused"
	CfgRetryTimeoutMs   = "cluster.link.retry.timeout.ms"
	CfgNumFetchers      = "num.cluster.link.fetchers"
	CfgSecurityProtocol = "security.protocol"
	CfgSASLMechanism    = "sasl.mechanism"
	CfgSASLJAASConfig   = "sasl.jaas.config"

	CfgLocalSecurityProtocol = "local.security.protocol"
	CfgLocalSASLMechanism    = "local.sasl.mechanism"
	CfgLocalSASLJAASConfig   = "local.sasl.jaas.config"
	CfgLocalListener         = "local.listener"
)
