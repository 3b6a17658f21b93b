# Alerts, SLOs and the dashboard of one stage. Every per-function or per-subscription policy comes
# from generated/functions.json and generated/messaging.json (for_each over the decoded data), so a
# new consumer gets its dead-letter and backlog alerts, a new API its 5xx, latency and SLOs, with no
# hand list. Every policy links its section of docs/runbook.md; thresholds in infra/README.md.
locals {
  http_functions = { for name, f in var.functions : name => f if f.trigger == "http" }
  # capped at one instance by design (sweepers, the rate-limited sinkro sender, the video re-check):
  # "at max" is their normal state, not a warning
  scaled_functions = { for name, f in var.functions : name => f if var.scaling[name].max_instances > 1 }

  run_revision = "resource.type=\"cloud_run_revision\""
  subscription = "resource.type=\"pubsub_subscription\""

  # log lines of the platform (shared/logs.py): message and extra fields land in jsonPayload
  metric_ekinerja = "pmm-sinkro-pengiriman-ekinerja"
  metric_youtube  = "pmm-karya-kuota-youtube"

  docs = { for anchor in [
    "antrean-surat-mati", "pesan-tertahan", "galat-5xx", "latensi-p99", "instans-hampir-maks",
    "ekinerja-gagal", "kuota-youtube", "slo-anggaran",
  ] : anchor => "Runbook: [docs/runbook.md#${anchor}](${var.runbook_url}#${anchor})" }
}

# --- dead letters: anything parked needs a person (and `make replay` once the cause is fixed)
resource "google_monitoring_alert_policy" "dead_letter" {
  for_each              = var.dead_letter_topics
  project               = var.project_id
  display_name          = "[${var.environment}] dead letters: ${each.value.subscription}"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "undelivered messages on ${each.value.subscription} > 0 for 5 min"
    condition_threshold {
      filter          = "${local.subscription} AND resource.label.subscription_id=\"${each.value.subscription}\" AND metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "[${var.environment}] ${each.value.function}: messages in its dead-letter queue"
    content   = "${each.value.function} gave up on messages after the maximum delivery attempts; they wait on ${each.value.subscription}. After the fix: `make replay TOPIC=${each.value.subscription}`. ${local.docs["antrean-surat-mati"]}"
  }

  user_labels = { platform = "pmm", function = replace(each.value.function, "_", "-") }
}

# --- a push subscription falling behind (function failing and retrying, or too slow)
resource "google_monitoring_alert_policy" "oldest_unacked" {
  for_each              = var.subscriptions
  project               = var.project_id
  display_name          = "[${var.environment}] backlog age: ${each.key}"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = var.notification_channels

  conditions {
    display_name = "oldest unacked message on ${each.key} older than ${lookup(var.oldest_unacked_age_overrides, each.key, var.thresholds.oldest_unacked_age_seconds)} s"
    condition_threshold {
      filter          = "${local.subscription} AND resource.label.subscription_id=\"${each.key}\" AND metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\""
      comparison      = "COMPARISON_GT"
      threshold_value = lookup(var.oldest_unacked_age_overrides, each.key, var.thresholds.oldest_unacked_age_seconds)
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "[${var.environment}] ${each.value.function}: ${each.value.topic} is falling behind"
    content   = "Messages of ${each.value.topic} wait unacknowledged on ${each.key} (pushed to ${each.value.function}). ${local.docs["pesan-tertahan"]}"
  }

  user_labels = { platform = "pmm", function = replace(each.value.function, "_", "-") }
}

# --- HTTP functions: share of 5xx answers, p99 latency
resource "google_monitoring_alert_policy" "error_5xx" {
  for_each              = local.http_functions
  project               = var.project_id
  display_name          = "[${var.environment}] 5xx rate: ${each.value.deploy_name}"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "5xx / all requests of ${each.value.deploy_name} > ${var.thresholds.error_ratio_5xx} for 5 min"
    condition_threshold {
      filter             = "${local.run_revision} AND resource.label.service_name=\"${var.services[each.key]}\" AND metric.type=\"run.googleapis.com/request_count\" AND metric.label.response_code_class=\"5xx\""
      denominator_filter = "${local.run_revision} AND resource.label.service_name=\"${var.services[each.key]}\" AND metric.type=\"run.googleapis.com/request_count\""
      comparison         = "COMPARISON_GT"
      threshold_value    = var.thresholds.error_ratio_5xx
      duration           = "300s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "[${var.environment}] ${each.value.deploy_name}: too many 5xx"
    content   = "More than ${var.thresholds.error_ratio_5xx * 100}% of ${each.value.deploy_name}'s requests answer 5xx. ${local.docs["galat-5xx"]}"
  }

  user_labels = { platform = "pmm", function = replace(each.key, "_", "-") }
}

resource "google_monitoring_alert_policy" "latency_p99" {
  for_each              = local.http_functions
  project               = var.project_id
  display_name          = "[${var.environment}] p99 latency: ${each.value.deploy_name}"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = var.notification_channels

  conditions {
    display_name = "p99 of ${each.value.deploy_name} > ${var.thresholds.latency_p99_ms} ms for 10 min"
    condition_threshold {
      # ALIGN_DELTA then REDUCE_PERCENTILE_99: the percentile of every request of the service,
      # not an average of per-revision percentiles
      filter          = "${local.run_revision} AND resource.label.service_name=\"${var.services[each.key]}\" AND metric.type=\"run.googleapis.com/request_latencies\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.thresholds.latency_p99_ms
      duration        = "600s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_PERCENTILE_99"
        group_by_fields      = ["resource.label.service_name"]
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "[${var.environment}] ${each.value.deploy_name}: slow"
    content   = "The 99th percentile of ${each.value.deploy_name}'s request latency is above ${var.thresholds.latency_p99_ms} ms. ${local.docs["latensi-p99"]}"
  }

  user_labels = { platform = "pmm", function = replace(each.key, "_", "-") }
}

# --- a function close to its max_instances (tfvars scaling): the next spike queues or gets 429s
resource "google_monitoring_alert_policy" "instances_near_max" {
  for_each              = local.scaled_functions
  project               = var.project_id
  display_name          = "[${var.environment}] instances near max: ${each.value.deploy_name}"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = var.notification_channels

  conditions {
    display_name = "instances of ${each.value.deploy_name} >= ${var.thresholds.instances_near_max_ratio * 100}% of ${var.scaling[each.key].max_instances} for 5 min"
    condition_threshold {
      filter = "${local.run_revision} AND resource.label.service_name=\"${var.services[each.key]}\" AND metric.type=\"run.googleapis.com/container/instance_count\""
      # instance counts are whole: "> n - 0.5" is ">= n", n = ceil(ratio x max) (4 of 5, 80 of 100, 2 of 2)
      comparison      = "COMPARISON_GT"
      threshold_value = ceil(var.thresholds.instances_near_max_ratio * var.scaling[each.key].max_instances) - 0.5
      duration        = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "[${var.environment}] ${each.value.deploy_name}: near its ${var.scaling[each.key].max_instances} instances"
    content   = "${each.value.deploy_name} runs near max_instances = ${var.scaling[each.key].max_instances} (infra/envs/${var.environment}/terraform.tfvars). ${local.docs["instans-hampir-maks"]}"
  }

  user_labels = { platform = "pmm", function = replace(each.key, "_", "-") }
}

# --- e-Kinerja: sinkro logs one "sinkronisasi dicatat" line per recorded attempt, with `hasil`
# (berhasil/gagal) and `nomor_galat` (the BKN error number; 9 = e-Kinerja's own 5xx/timeout, after
# the sender's own retries)
resource "google_logging_metric" "ekinerja" {
  project     = var.project_id
  name        = local.metric_ekinerja
  description = "sinkro's recorded sends to e-Kinerja, by outcome and BKN error number"
  filter      = "${local.run_revision} AND jsonPayload.message=\"sinkronisasi dicatat\""

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "e-Kinerja sends"

    labels {
      key        = "hasil"
      value_type = "STRING"
    }

    labels {
      key        = "nomor_galat"
      value_type = "STRING"
    }

    labels {
      key        = "jenis"
      value_type = "STRING"
    }
  }

  label_extractors = {
    hasil       = "EXTRACT(jsonPayload.hasil)"
    nomor_galat = "EXTRACT(jsonPayload.nomor_galat)"
    jenis       = "EXTRACT(jsonPayload.jenis)"
  }
}

resource "google_monitoring_alert_policy" "ekinerja_galat_9" {
  project               = var.project_id
  display_name          = "[${var.environment}] e-Kinerja failing (error #9)"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "error #9 / all e-Kinerja sends > ${var.thresholds.ekinerja_galat_9_ratio} for 15 min"
    condition_threshold {
      filter             = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.ekinerja.name}\" AND ${local.run_revision} AND metric.label.nomor_galat=\"9\""
      denominator_filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.ekinerja.name}\" AND ${local.run_revision}"
      comparison         = "COMPARISON_GT"
      threshold_value    = var.thresholds.ekinerja_galat_9_ratio
      duration           = "900s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "[${var.environment}] e-Kinerja answers 5xx / times out"
    content   = "More than ${var.thresholds.ekinerja_galat_9_ratio * 100}% of the sends to e-Kinerja end in error #9 after retries. Escalate to the BKN help desk. ${local.docs["ekinerja-gagal"]}"
  }

  user_labels = { platform = "pmm", function = "sinkro" }
}

# --- YouTube: karya logs `unit_kuota_youtube` (units one use case spent) on its "youtube quota" line;
# a distribution metric keeps their sum, which PromQL reads as <metric>_sum
resource "google_logging_metric" "youtube" {
  project         = var.project_id
  name            = local.metric_youtube
  description     = "YouTube Data API units karya spent, per use case"
  filter          = "${local.run_revision} AND jsonPayload.message=\"youtube quota\" AND jsonPayload.unit_kuota_youtube>0"
  value_extractor = "EXTRACT(jsonPayload.unit_kuota_youtube)"

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "DISTRIBUTION"
    unit         = "1"
    display_name = "YouTube quota units"

    labels {
      key        = "use_case"
      value_type = "STRING"
    }
  }

  label_extractors = {
    use_case = "EXTRACT(jsonPayload.use_case)"
  }

  bucket_options {
    exponential_buckets {
      num_finite_buckets = 16
      growth_factor      = 2
      scale              = 1
    }
  }
}

resource "google_monitoring_alert_policy" "youtube_quota" {
  project               = var.project_id
  display_name          = "[${var.environment}] YouTube quota use"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = var.notification_channels

  conditions {
    display_name = "YouTube units in the last 24 h > ${var.thresholds.youtube_units_per_day}"
    condition_prometheus_query_language {
      query               = "sum(increase(logging_googleapis_com:user_${replace(google_logging_metric.youtube.name, "-", "_")}_sum{monitored_resource=\"cloud_run_revision\"}[1d])) > ${var.thresholds.youtube_units_per_day}"
      duration            = "0s"
      evaluation_interval = "300s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "[${var.environment}] YouTube quota running out"
    content   = "karya spent more than ${var.thresholds.youtube_units_per_day} YouTube Data API units in 24 h (the quota resets at midnight Pacific time). ${local.docs["kuota-youtube"]}"
  }

  user_labels = { platform = "pmm", function = "karya" }
}

# --- SLOs of the user routes: one custom service per API, availability and latency over Cloud Run's
# request metrics (what the load balancer forwarded to the function); targets in infra/README.md
resource "google_monitoring_custom_service" "api" {
  for_each     = local.http_functions
  project      = var.project_id
  service_id   = "pmm-${var.environment}-${each.value.deploy_name}"
  display_name = "PMM ${var.environment} ${each.value.deploy_name}"

  user_labels = { platform = "pmm" }
}

resource "google_monitoring_slo" "availability" {
  for_each            = local.http_functions
  project             = var.project_id
  service             = google_monitoring_custom_service.api[each.key].service_id
  slo_id              = "ketersediaan"
  display_name        = "${each.value.deploy_name}: ${var.slo.availability * 100}% of requests not 5xx over ${var.slo.rolling_days} days"
  goal                = var.slo.availability
  rolling_period_days = var.slo.rolling_days

  request_based_sli {
    good_total_ratio {
      total_service_filter = "${local.run_revision} AND resource.label.service_name=\"${var.services[each.key]}\" AND metric.type=\"run.googleapis.com/request_count\""
      bad_service_filter   = "${local.run_revision} AND resource.label.service_name=\"${var.services[each.key]}\" AND metric.type=\"run.googleapis.com/request_count\" AND metric.label.response_code_class=\"5xx\""
    }
  }
}

resource "google_monitoring_slo" "latency" {
  for_each            = local.http_functions
  project             = var.project_id
  service             = google_monitoring_custom_service.api[each.key].service_id
  slo_id              = "latensi"
  display_name        = "${each.value.deploy_name}: ${var.slo.latency * 100}% of requests under ${var.slo.latency_ms} ms over ${var.slo.rolling_days} days"
  goal                = var.slo.latency
  rolling_period_days = var.slo.rolling_days

  request_based_sli {
    distribution_cut {
      distribution_filter = "${local.run_revision} AND resource.label.service_name=\"${var.services[each.key]}\" AND metric.type=\"run.googleapis.com/request_latencies\""
      range {
        max = var.slo.latency_ms
      }
    }
  }
}

# Fast burn (Google SRE workbook): 14.4x the budget rate for an hour spends 2% of a 30-day budget.
resource "google_monitoring_alert_policy" "slo_burn" {
  for_each = merge(
    { for name, f in local.http_functions : "${name}|ketersediaan" => google_monitoring_slo.availability[name].id },
    { for name, f in local.http_functions : "${name}|latensi" => google_monitoring_slo.latency[name].id },
  )
  project               = var.project_id
  display_name          = "[${var.environment}] SLO burn: ${replace(each.key, "|", " ")}"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "error budget burning > 14.4x over 1 h"
    condition_threshold {
      filter          = "select_slo_burn_rate(\"${each.value}\", \"3600s\")"
      comparison      = "COMPARISON_GT"
      threshold_value = 14.4
      duration        = "0s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "[${var.environment}] ${replace(each.key, "|", " ")}: error budget burning fast"
    content   = "At this rate the ${var.slo.rolling_days}-day error budget is gone in about two days. ${local.docs["slo-anggaran"]}"
  }

  user_labels = { platform = "pmm" }
}

# --- one dashboard: the APIs (requests, 5xx, p99, instances), the queues (backlog, age, dead letters),
# e-Kinerja and YouTube
locals {
  chart = { for k, v in {
    requests = {
      title   = "API requests per second, by service and response class"
      filter  = "${local.run_revision} AND metric.type=\"run.googleapis.com/request_count\" AND resource.label.service_name=monitoring.regex.full_match(\".*-api\")"
      aligner = "ALIGN_RATE", reducer = "REDUCE_SUM", by = ["resource.label.service_name", "metric.label.response_code_class"]
    }
    latency = {
      title   = "API p99 latency (ms)"
      filter  = "${local.run_revision} AND metric.type=\"run.googleapis.com/request_latencies\" AND resource.label.service_name=monitoring.regex.full_match(\".*-api\")"
      aligner = "ALIGN_DELTA", reducer = "REDUCE_PERCENTILE_99", by = ["resource.label.service_name"]
    }
    instances = {
      title   = "Instances per function"
      filter  = "${local.run_revision} AND metric.type=\"run.googleapis.com/container/instance_count\""
      aligner = "ALIGN_MAX", reducer = "REDUCE_SUM", by = ["resource.label.service_name"]
    }
    dead_letters = {
      title   = "Dead letters waiting (*.dlq.sub)"
      filter  = "${local.subscription} AND metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.label.subscription_id=monitoring.regex.full_match(\".*\\\\.dlq\\\\.sub\")"
      aligner = "ALIGN_MAX", reducer = "REDUCE_SUM", by = ["resource.label.subscription_id"]
    }
    backlog_age = {
      title   = "Oldest unacked message (s), push subscriptions"
      filter  = "${local.subscription} AND metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" AND resource.label.subscription_id=monitoring.regex.full_match(\".*\\\\.push\")"
      aligner = "ALIGN_MAX", reducer = "REDUCE_MAX", by = ["resource.label.subscription_id"]
    }
    ekinerja = {
      title   = "e-Kinerja sends by outcome and error number"
      filter  = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.ekinerja.name}\" AND ${local.run_revision}"
      aligner = "ALIGN_DELTA", reducer = "REDUCE_SUM", by = ["metric.label.hasil", "metric.label.nomor_galat"]
    }
    } : k => {
    title = v.title
    xyChart = {
      dataSets = [{
        plotType = "LINE"
        timeSeriesQuery = {
          timeSeriesFilter = {
            filter      = v.filter
            aggregation = { alignmentPeriod = "60s", perSeriesAligner = v.aligner, crossSeriesReducer = v.reducer, groupByFields = v.by }
          }
        }
      }]
    }
  } }
  youtube_chart = {
    title = "YouTube units spent per hour, by use case"
    xyChart = {
      dataSets = [{
        plotType        = "STACKED_BAR"
        timeSeriesQuery = { prometheusQuery = "sum by (use_case) (increase(logging_googleapis_com:user_${replace(google_logging_metric.youtube.name, "-", "_")}_sum[1h]))" }
      }]
    }
  }
  dashboard_widgets = concat([for k in ["requests", "latency", "instances", "dead_letters", "backlog_age", "ekinerja"] : local.chart[k]], [local.youtube_chart])
}

resource "google_monitoring_dashboard" "pmm" {
  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "PMM ${var.environment}"
    mosaicLayout = {
      columns = 48
      tiles = [for i, w in local.dashboard_widgets : {
        xPos   = (i % 2) * 24
        yPos   = floor(i / 2) * 16
        width  = 24
        height = 16
        widget = w
      }]
    }
  })
}
