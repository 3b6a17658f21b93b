# Staging: same shape as prod, scaled to zero when idle, small ceilings.
project_id       = "pmm-staging"
environment      = "staging"
auth_audience    = ["REPLACE-staging-web-client-id.apps.googleusercontent.com"]
google_client_id = "REPLACE-staging-youtube-client-id.apps.googleusercontent.com"
ekinerja_url     = "https://REPLACE-ekinerja-staging.bkn.go.id/sinkro-pmm"
public_url       = "https://staging.pmm.kemdikbud.go.id"
cors_origins     = ["https://staging.pmm.kemdikbud.go.id"]

scaling_defaults = {
  api      = { min_instances = 0, max_instances = 10, concurrency = 8, cpu = "1", memory = "1Gi", timeout_seconds = 60 }
  consumer = { min_instances = 0, max_instances = 5, concurrency = 20, cpu = "1", memory = "512Mi", timeout_seconds = 120 }
  sweeper  = { min_instances = 0, max_instances = 1, concurrency = 1, cpu = "1", memory = "512Mi", timeout_seconds = 60 }
}

# One sender for the batch: the e-Kinerja rate limit is split per process (PMM_SINKRO_PENGIRIM_MAKS).
scaling = {
  sinkro_on_batch_dijadwalkan = { max_instances = 1 }
}

# Front door (Cloud Armor), per client and interval; reasoning in infra/README.md "Front door".
rate_limits = {
  ip_throttle_count    = 600
  ip_ban_count         = 3000
  interval_sec         = 60
  ban_duration_sec     = 600
  partner_key_count    = 120
  partner_interval_sec = 60
}

# The upload HMAC pair: both secrets at the same version (infra/README.md "Upload HMAC keys").
secret_versions = {
  "berkas-hmac-access-id" = "1"
  "berkas-hmac-secret"    = "1"
}

# Monitoring (infra/modules/monitoring): thresholds and SLO goals, reasoning in infra/README.md
# "Monitoring"; every alert links its section of docs/runbook.md under runbook_url.
notification_channels = []
runbook_url           = "https://REPLACE-git-host/pmm/blob/main/docs/runbook.md"

alert_thresholds = {
  error_ratio_5xx            = 0.02
  latency_p99_ms             = 2000
  instances_near_max_ratio   = 0.8
  oldest_unacked_age_seconds = 1800
  ekinerja_galat_9_ratio     = 0.2
  youtube_units_per_day      = 8000
}

# The daily e-Kinerja fan-out queues chunks for the one rate-limited sender (01:00 WIB); they may wait
# until the working day starts (07:00 WIB), not beyond.
oldest_unacked_age_overrides = {
  "sinkro_on_batch_dijadwalkan.push" = 21600
}

slo = {
  availability = 0.995
  latency      = 0.95
  latency_ms   = 800
  rolling_days = 28
}
