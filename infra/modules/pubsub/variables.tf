variable "project_id" {
  type = string
}

variable "region" {
  type = string
}

variable "kms_key_id" {
  type = string
}

variable "topics" {
  description = "generated/messaging.json .topics"
  type        = any
}

variable "subscriptions" {
  description = "generated/messaging.json .subscriptions"
  type        = any
}

variable "dead_letter_topics" {
  description = "generated/messaging.json .dead_letter_topics"
  type        = any
}

variable "push_endpoints" {
  description = "function => its https URL"
  type        = map(string)
}

variable "push_service_account_email" {
  type = string
}

variable "push_service_account_name" {
  type = string
}

variable "pubsub_agent_member" {
  description = "serviceAccount:service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com"
  type        = string
}

variable "publishers" {
  description = "key => {topic, member}"
  type        = map(object({ topic = string, member = string }))
  default     = {}
}

variable "environment" {
  description = "staging or prod: picks each subscription's ack deadline (its function's timeout there)"
  type        = string
}

variable "minimum_backoff" {
  type    = string
  default = "10s"
}

variable "maximum_backoff" {
  type    = string
  default = "600s"
}

variable "max_delivery_attempts" {
  type    = number
  default = 10
}
