variable "project_id" {
  type = string
}

variable "environment" {
  type = string
}

variable "functions" {
  description = "generated/functions.json .functions"
  type        = any
}

variable "subscriptions" {
  description = "generated/messaging.json .subscriptions (push)"
  type        = any
}

variable "dead_letter_topics" {
  description = "generated/messaging.json .dead_letter_topics (each with its pull subscription)"
  type        = any
}

variable "services" {
  description = "function => its Cloud Run service name (module.functions.services)"
  type        = map(string)
}

variable "scaling" {
  description = "function => resolved scaling (module.functions.scaling): max_instances for the near-max alerts"
  type        = any
}

variable "notification_channels" {
  description = "notification channel ids (projects/<p>/notificationChannels/<id>) every alert notifies; empty: incidents only in the console"
  type        = list(string)
  default     = []
}

variable "runbook_url" {
  description = "where docs/runbook.md is read (a browsable URL); alerts link <runbook_url>#<section>"
  type        = string
}

variable "thresholds" {
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
  description = "push subscription => seconds, where the default age threshold is wrong by design (the rate-limited sinkro sender)"
  type        = map(number)
  default     = {}
}

variable "slo" {
  description = "per API: availability goal (non-5xx share) and latency goal (share under latency_ms), over rolling_days"
  type = object({
    availability = number
    latency      = number
    latency_ms   = number
    rolling_days = number
  })
}
