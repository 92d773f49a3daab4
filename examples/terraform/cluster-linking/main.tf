# Cluster Linking on linkemu, in the shape of Confluent's own Terraform
# examples (destination-initiated-cluster-link-rbac and
# regular-bidirectional-cluster-link-rbac): environment and cluster data
# sources, service accounts, role bindings, cluster API keys, a
# destination-initiated link with a mirror topic, and a bidirectional link
# pair with a mirror topic each way.
#
# Only the provider block differs from a configuration for Confluent Cloud:
# `endpoint` points at linkemu. See README.md beside this file.

terraform {
  required_providers {
    confluent = {
      source = "confluentinc/confluent"
    }
  }
}

provider "confluent" {
  endpoint         = var.linkemu_endpoint # the only linkemu-specific line
  cloud_api_key    = var.confluent_cloud_api_key
  cloud_api_secret = var.confluent_cloud_api_secret
}

data "confluent_environment" "east" {
  id = var.east_environment_id
}

data "confluent_environment" "west" {
  id = var.west_environment_id
}

data "confluent_kafka_cluster" "east" {
  id = var.east_kafka_cluster_id
  environment {
    id = data.confluent_environment.east.id
  }
}

data "confluent_kafka_cluster" "west" {
  id = var.west_kafka_cluster_id
  environment {
    id = data.confluent_environment.west.id
  }
}

resource "confluent_service_account" "app-manager-east" {
  display_name = "app-manager-east-cluster"
  description  = "Service account to manage the east Kafka cluster"
}

resource "confluent_service_account" "app-manager-west" {
  display_name = "app-manager-west-cluster"
  description  = "Service account to manage the west Kafka cluster"
}

resource "confluent_role_binding" "app-manager-east-admin" {
  principal   = "User:${confluent_service_account.app-manager-east.id}"
  role_name   = "CloudClusterAdmin"
  crn_pattern = data.confluent_kafka_cluster.east.rbac_crn
}

resource "confluent_role_binding" "app-manager-west-admin" {
  principal   = "User:${confluent_service_account.app-manager-west.id}"
  role_name   = "CloudClusterAdmin"
  crn_pattern = data.confluent_kafka_cluster.west.rbac_crn
}

resource "confluent_api_key" "app-manager-east-api-key" {
  display_name = "app-manager-east-cluster-api-key"
  description  = "Kafka API Key that is owned by 'app-manager-east-cluster' service account"
  owner {
    id          = confluent_service_account.app-manager-east.id
    api_version = confluent_service_account.app-manager-east.api_version
    kind        = confluent_service_account.app-manager-east.kind
  }
  managed_resource {
    id          = data.confluent_kafka_cluster.east.id
    api_version = data.confluent_kafka_cluster.east.api_version
    kind        = data.confluent_kafka_cluster.east.kind
    environment {
      id = data.confluent_environment.east.id
    }
  }
  depends_on = [confluent_role_binding.app-manager-east-admin]
}

resource "confluent_api_key" "app-manager-west-api-key" {
  display_name = "app-manager-west-cluster-api-key"
  description  = "Kafka API Key that is owned by 'app-manager-west-cluster' service account"
  owner {
    id          = confluent_service_account.app-manager-west.id
    api_version = confluent_service_account.app-manager-west.api_version
    kind        = confluent_service_account.app-manager-west.kind
  }
  managed_resource {
    id          = data.confluent_kafka_cluster.west.id
    api_version = data.confluent_kafka_cluster.west.api_version
    kind        = data.confluent_kafka_cluster.west.kind
    environment {
      id = data.confluent_environment.west.id
    }
  }
  depends_on = [confluent_role_binding.app-manager-west-admin]
}

# The source topics.
resource "confluent_kafka_topic" "east" {
  for_each = toset([var.orders_topic_name, var.east_topic_name])
  kafka_cluster {
    id = data.confluent_kafka_cluster.east.id
  }
  topic_name       = each.key
  partitions_count = 2
  rest_endpoint    = data.confluent_kafka_cluster.east.rest_endpoint
  credentials {
    key    = confluent_api_key.app-manager-east-api-key.id
    secret = confluent_api_key.app-manager-east-api-key.secret
  }
}

resource "confluent_kafka_topic" "west" {
  kafka_cluster {
    id = data.confluent_kafka_cluster.west.id
  }
  topic_name       = var.west_topic_name
  partitions_count = 2
  rest_endpoint    = data.confluent_kafka_cluster.west.rest_endpoint
  credentials {
    key    = confluent_api_key.app-manager-west-api-key.id
    secret = confluent_api_key.app-manager-west-api-key.secret
  }
}

# Destination-initiated: west reads from east.
resource "confluent_cluster_link" "destination-outbound" {
  link_name = var.cluster_link_name
  source_kafka_cluster {
    id                 = data.confluent_kafka_cluster.east.id
    bootstrap_endpoint = data.confluent_kafka_cluster.east.bootstrap_endpoint
    credentials {
      key    = confluent_api_key.app-manager-east-api-key.id
      secret = confluent_api_key.app-manager-east-api-key.secret
    }
  }
  destination_kafka_cluster {
    id            = data.confluent_kafka_cluster.west.id
    rest_endpoint = data.confluent_kafka_cluster.west.rest_endpoint
    credentials {
      key    = confluent_api_key.app-manager-west-api-key.id
      secret = confluent_api_key.app-manager-west-api-key.secret
    }
  }
}

resource "confluent_kafka_mirror_topic" "orders" {
  source_kafka_topic {
    topic_name = confluent_kafka_topic.east[var.orders_topic_name].topic_name
  }
  cluster_link {
    link_name = confluent_cluster_link.destination-outbound.link_name
  }
  kafka_cluster {
    id            = data.confluent_kafka_cluster.west.id
    rest_endpoint = data.confluent_kafka_cluster.west.rest_endpoint
    credentials {
      key    = confluent_api_key.app-manager-west-api-key.id
      secret = confluent_api_key.app-manager-west-api-key.secret
    }
  }
}

# Bidirectional: one link name, a side on each cluster.
resource "confluent_cluster_link" "east-to-west" {
  link_name = var.bidirectional_link_name
  link_mode = "BIDIRECTIONAL"
  local_kafka_cluster {
    id            = data.confluent_kafka_cluster.east.id
    rest_endpoint = data.confluent_kafka_cluster.east.rest_endpoint
    credentials {
      key    = confluent_api_key.app-manager-east-api-key.id
      secret = confluent_api_key.app-manager-east-api-key.secret
    }
  }
  remote_kafka_cluster {
    id                 = data.confluent_kafka_cluster.west.id
    bootstrap_endpoint = data.confluent_kafka_cluster.west.bootstrap_endpoint
    credentials {
      key    = confluent_api_key.app-manager-west-api-key.id
      secret = confluent_api_key.app-manager-west-api-key.secret
    }
  }
}

resource "confluent_cluster_link" "west-to-east" {
  link_name = var.bidirectional_link_name
  link_mode = "BIDIRECTIONAL"
  local_kafka_cluster {
    id            = data.confluent_kafka_cluster.west.id
    rest_endpoint = data.confluent_kafka_cluster.west.rest_endpoint
    credentials {
      key    = confluent_api_key.app-manager-west-api-key.id
      secret = confluent_api_key.app-manager-west-api-key.secret
    }
  }
  remote_kafka_cluster {
    id                 = data.confluent_kafka_cluster.east.id
    bootstrap_endpoint = data.confluent_kafka_cluster.east.bootstrap_endpoint
    credentials {
      key    = confluent_api_key.app-manager-east-api-key.id
      secret = confluent_api_key.app-manager-east-api-key.secret
    }
  }
  depends_on = [confluent_cluster_link.east-to-west]
}

resource "confluent_kafka_mirror_topic" "from-east" {
  source_kafka_topic {
    topic_name = confluent_kafka_topic.east[var.east_topic_name].topic_name
  }
  cluster_link {
    link_name = confluent_cluster_link.east-to-west.link_name
  }
  kafka_cluster {
    id            = data.confluent_kafka_cluster.west.id
    rest_endpoint = data.confluent_kafka_cluster.west.rest_endpoint
    credentials {
      key    = confluent_api_key.app-manager-west-api-key.id
      secret = confluent_api_key.app-manager-west-api-key.secret
    }
  }
  depends_on = [confluent_cluster_link.east-to-west, confluent_cluster_link.west-to-east]
}

resource "confluent_kafka_mirror_topic" "from-west" {
  source_kafka_topic {
    topic_name = confluent_kafka_topic.west.topic_name
  }
  cluster_link {
    link_name = confluent_cluster_link.west-to-east.link_name
  }
  kafka_cluster {
    id            = data.confluent_kafka_cluster.east.id
    rest_endpoint = data.confluent_kafka_cluster.east.rest_endpoint
    credentials {
      key    = confluent_api_key.app-manager-east-api-key.id
      secret = confluent_api_key.app-manager-east-api-key.secret
    }
  }
  depends_on = [confluent_cluster_link.east-to-west, confluent_cluster_link.west-to-east]
}

output "west_rest_endpoint" {
  value = data.confluent_kafka_cluster.west.rest_endpoint
}

output "east_bootstrap_endpoint" {
  value = data.confluent_kafka_cluster.east.bootstrap_endpoint
}
