variable "project_id" {
  type = string
}

variable "region" {
  type = string
}

variable "environment" {
  type = string
}

variable "rotation_period" {
  description = "automatic key rotation (90 days)"
  type        = string
  default     = "7776000s"
}

variable "protection_level" {
  description = "SOFTWARE or HSM"
  type        = string
  default     = "SOFTWARE"
}

variable "cmek_agents" {
  description = "name => member of the service agents that use the data key"
  type        = map(string)
  default     = {}
}

variable "token_key_users" {
  description = "function => member allowed to encrypt/decrypt with the token key"
  type        = map(string)
  default     = {}
}
