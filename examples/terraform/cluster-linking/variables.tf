variable "linkemu_endpoint" {
  description = "linkemu's Cloud API base URL (the provider's endpoint)"
  type        = string
  default     = "http://localhost:8090"
}

variable "confluent_cloud_api_key" {
  description = "Cloud API key: any value while linkemu runs without --cloud-api-key"
  type        = string
  default     = "linkemu"
}

variable "confluent_cloud_api_secret" {
  description = "Cloud API secret"
  type        = string
  sensitive   = true
  default     = "linkemu"
}

variable "east_environment_id" {
  type    = string
  default = "env-default"
}

variable "west_environment_id" {
  type    = string
  default = "env-default"
}

variable "east_kafka_cluster_id" {
  type    = string
  default = "lkc-east"
}

variable "west_kafka_cluster_id" {
  type    = string
  default = "lkc-west"
}

variable "cluster_link_name" {
  type    = string
  default = "tf-east-to-west"
}

variable "bidirectional_link_name" {
  type    = string
  default = "tf-bidirectional"
}

variable "orders_topic_name" {
  type    = string
  default = "tf-orders"
}

variable "east_topic_name" {
  type    = string
  default = "tf-east-events"
}

variable "west_topic_name" {
  type    = string
  default = "tf-west-events"
}
