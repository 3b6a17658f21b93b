variable "project_id" {
  type = string
}

variable "environment" {
  description = "staging or prod (PMM_ENV)"
  type        = string
  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment is staging or prod"
  }
}

variable "region" {
  description = "functions, Firestore, Pub/Sub storage, KMS, Scheduler, bucket"
  type        = string
  default     = "asia-southeast2"
}

variable "firestore_layout" {
  description = "per_service: one Firestore database per service, IAM-scoped; shared: the (default) database (roll back only)"
  type        = string
  default     = "per_service"
}

variable "rate_limits" {
  description = "Cloud Armor per-client limits; reasoning in infra/README.md (Front door)"
  type = object({
    ip_throttle_count    = number
    ip_ban_count         = number
    interval_sec         = number
    ban_duration_sec     = number
    partner_key_count    = number
    partner_interval_sec = number
  })
}

variable "secret_versions" {
  description = "secret id => version functions read (default latest); pin the HMAC pair (infra/README.md)"
  type        = map(string)
  default     = {}
}

variable "auth_audience" {
  description = "OAuth client ids the belajar.id ID tokens are issued to (web, Android, ...); functions get them joined by commas in PMM_AUTH_AUDIENCE, API Gateway in x-google-audiences"
  type        = list(string)

  validation {
    condition     = length(var.auth_audience) > 0 && alltrue([for id in var.auth_audience : can(regex("^[A-Za-z0-9][A-Za-z0-9._:/-]*$", id))])
    error_message = "auth_audience: at least one client id, each without commas or spaces (one list element per client)."
  }
}

variable "google_client_id" {
  description = "OAuth client id for the YouTube connection (karya)"
  type        = string
}

variable "ekinerja_url" {
  description = "base URL of BKN's e-Kinerja Sinkro PMM API"
  type        = string
}

variable "public_url" {
  description = "https://<host> of the APIs: the load balancer's certificate and host rule"
  type        = string
}

variable "cors_origins" {
  description = "web origins allowed to upload with pre-signed URLs"
  type        = list(string)
}

variable "external_publishers" {
  description = "outside system (dapodik, siasn, ekinerja, rapor_pendidikan) => members allowed to publish its reference topics"
  type        = map(list(string))
  default     = {}
}

variable "max_delivery_attempts" {
  description = "push deliveries before a message goes to its dead-letter topic"
  type        = number
  default     = 10
}

variable "scaling_defaults" {
  description = "per role (api, consumer, sweeper); justified in infra/README.md"
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
  description = "per function overrides (key: entry point name)"
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

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/<p>/notificationChannels/<id>) every alert notifies; empty: incidents show in the console only"
  type        = list(string)
  default     = []
}

variable "runbook_url" {
  description = "browsable URL of docs/runbook.md; every alert links <runbook_url>#<section>"
  type        = string
}

variable "alert_thresholds" {
  description = "alert thresholds; reasoning in infra/README.md (Monitoring)"
  type = object({
    error_ratio_5xx            = number
    latency_p99_ms             = number
    instances_near_max_ratio   = number
    oldest_unacked_age_seconds = number
    ekinerja_galat_9_ratio     = number
    youtube_units_per_day      = number
  })
}

variable "oldest_unacked_age_overrides" {
  description = "push subscription => seconds of backlog age it may reach by design (default: alert_thresholds.oldest_unacked_age_seconds)"
  type        = map(number)
  default     = {}
}

variable "slo" {
  description = "per API SLO goals; reasoning in infra/README.md (Monitoring)"
  type = object({
    availability = number
    latency      = number
    latency_ms   = number
    rolling_days = number
  })
}
