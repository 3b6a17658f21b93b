# Production for ~3 million teachers. Values and their reasoning: infra/README.md ("Sizing").
# Semester start (first two weeks of January and July): keep these; between peaks lower the
# api min_instances (see README) with a normal apply.
project_id       = "pmm-prod"
environment      = "prod"
auth_audience    = ["REPLACE-prod-web-client-id.apps.googleusercontent.com", "REPLACE-prod-android-client-id.apps.googleusercontent.com"]
google_client_id = "REPLACE-prod-youtube-client-id.apps.googleusercontent.com"
ekinerja_url     = "https://REPLACE-ekinerja.bkn.go.id/sinkro-pmm"
public_url       = "https://guru.pmm.kemdikbud.go.id"
cors_origins     = ["https://guru.pmm.kemdikbud.go.id"]

external_publishers = {
  dapodik          = ["serviceAccount:REPLACE-dapodik-publisher@REPLACE.iam.gserviceaccount.com"]
  siasn            = ["serviceAccount:REPLACE-siasn-publisher@REPLACE.iam.gserviceaccount.com"]
  ekinerja         = ["serviceAccount:REPLACE-ekinerja-publisher@REPLACE.iam.gserviceaccount.com"]
  rapor_pendidikan = ["serviceAccount:REPLACE-rapor-publisher@REPLACE.iam.gserviceaccount.com"]
}

scaling_defaults = {
  api      = { min_instances = 2, max_instances = 100, concurrency = 8, cpu = "1", memory = "1Gi", timeout_seconds = 60 }
  consumer = { min_instances = 0, max_instances = 50, concurrency = 20, cpu = "1", memory = "512Mi", timeout_seconds = 120 }
  sweeper  = { min_instances = 0, max_instances = 1, concurrency = 1, cpu = "1", memory = "512Mi", timeout_seconds = 60 }
}

# sinkro_on_batch_dijadwalkan: one sender; the e-Kinerja rate limit is split per process
# (PMM_SINKRO_PENGIRIM_MAKS = max instances x WORKERS).
# Per function (entry point name). The test suite fails when a key names no function.
scaling = {
  sinkro_on_batch_dijadwalkan = { max_instances = 1 }
  kinerja_api                 = { min_instances = 20, max_instances = 400 }
  karya_api                   = { min_instances = 5, max_instances = 150 }
  umpan_balik_api             = { min_instances = 3, max_instances = 100 }
  sinkro_api                  = { min_instances = 1, max_instances = 20 }
  karya_periksa_video         = { max_instances = 1, concurrency = 1, timeout_seconds = 540 }
}

# Front door (Cloud Armor), per client and interval; reasoning in infra/README.md "Front door".
rate_limits = {
  ip_throttle_count    = 1500
  ip_ban_count         = 6000
  interval_sec         = 60
  ban_duration_sec     = 600
  partner_key_count    = 600
  partner_interval_sec = 60
}

# The upload HMAC pair: both secrets at the same version (infra/README.md "Upload HMAC keys").
secret_versions = {
  "berkas-hmac-access-id" = "1"
  "berkas-hmac-secret"    = "1"
}

# Monitoring (infra/modules/monitoring): thresholds and SLO goals, reasoning in infra/README.md
# "Monitoring"; every alert links its section of docs/runbook.md under runbook_url.
# e.g. ["projects/pmm-prod/notificationChannels/<id>"] (on-call e-mail, chat); empty: console only
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
