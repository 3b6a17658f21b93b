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

variable "managed_values" {
  description = "secret id => value Terraform itself knows (the HMAC key)"
  type        = map(string)
  sensitive   = true
  default     = {}
}

variable "accessors" {
  description = "key => {secret, member}"
  type        = map(object({ secret = string, member = string }))
  default     = {}
}
