variable "project_id" {
  type = string
}

variable "region" {
  description = "where the functions run (the serverless NEGs live there)"
  type        = string
}

variable "environment" {
  type = string
}

variable "hostname" {
  description = "public host of the APIs (from public_url); the managed certificate is issued for it once DNS points at the address"
  type        = string
}

variable "services" {
  description = "generated/frontdoor.json .services: service => {slug, prefix, function, deploy_name}"
  type        = any
}

variable "cloud_run_services" {
  description = "function (entry point) => the Cloud Run service behind it (functions module)"
  type        = map(string)
}

variable "partner_path_regex" {
  description = "generated/frontdoor.json .partner_path_regex: routes called with x-api-key"
  type        = string
}

variable "rate_limits" {
  description = "Cloud Armor per-client limits (requests per interval); reasoning in infra/README.md"
  type = object({
    ip_throttle_count    = number
    ip_ban_count         = number
    interval_sec         = number
    ban_duration_sec     = number
    partner_key_count    = number
    partner_interval_sec = number
  })
}

variable "waf_sensitivity" {
  description = "OWASP CRS sensitivity of the enforced preconfigured WAF rules (1 = fewest false positives)"
  type        = number
  default     = 1
}
