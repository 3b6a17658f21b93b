variable "project_id" {
  type = string
}

variable "region" {
  type = string
}

variable "kms_key_id" {
  description = "CMEK for the secrets' replica"
  type        = string
}

variable "secret_ids" {
  description = "generated/functions.json .secrets"
  type        = list(string)
}

variable "accessors" {
  description = "key => {secret, member}"
  type        = map(object({ secret = string, member = string }))
  default     = {}
}
