variable "project_id" {
  type = string
}

variable "region" {
  type = string
}

variable "environment" {
  type = string
}

variable "runtime" {
  type    = string
  default = "python311"
}

variable "functions" {
  description = "generated/functions.json .functions"
  type        = any
}

variable "bundle_dir" {
  description = "folder with <service>.zip built by `make bundles`"
  type        = string
}

variable "sources_bucket" {
  type = string
}

variable "service_accounts" {
  description = "function => runtime service account email"
  type        = map(string)
}

variable "secret_ids" {
  description = "secret id => secret (from the secrets module)"
  type        = map(string)
}

variable "push_invoker_email" {
  type = string
}

variable "database_of" {
  description = "service => Firestore database id (PMM_FIRESTORE_DATABASE)"
  type        = map(string)
}

variable "auth_audience" {
  description = "OAuth client ids the ID tokens are issued to"
  type        = list(string)
}

variable "berkas_bucket" {
  type = string
}

variable "google_client_id" {
  type = string
}

variable "kms_token_key_id" {
  type = string
}

variable "ekinerja_url" {
  type = string
}

variable "public_url" {
  type = string
}

variable "cors_origins" {
  description = "web origins whose pages may call the APIs (PMM_CORS_ORIGINS; the functions answer CORS)"
  type        = list(string)
}

variable "scaling_defaults" {
  description = "per role (api, consumer, sweeper): instances, concurrency, cpu, memory, timeout"
  type = map(object({
    min_instances   = number
    max_instances   = number
    concurrency     = number
    cpu             = string
    memory          = string
    timeout_seconds = number
  }))
}

variable "scaling" {
  description = "per function overrides of scaling_defaults"
  type = map(object({
    min_instances   = optional(number)
    max_instances   = optional(number)
    concurrency     = optional(number)
    cpu             = optional(string)
    memory          = optional(string)
    timeout_seconds = optional(number)
  }))
  default = {}
}

variable "secret_versions" {
  description = "secret id => version the functions read (default latest); the HMAC pair is pinned"
  type        = map(string)
  default     = {}
}
