# Cloud Scheduler: one job per scheduler topic (generated/messaging.json .scheduler_jobs),
# publishing {"jadwal": "<topic>", "periode_detik": <period>}: the outbox sweeper every minute, the
# daily Sinkro batch, the daily video re-check. A job publishes the same data and attributes on every
# run; consumers take a tick's identity from the messageId and publishTime Pub/Sub assigns.
# No attempt_deadline: Cloud Scheduler ignores it for Pub/Sub targets (set, it is a permanent diff);
# how long the work may take is the push subscription's ack deadline (= the function's timeout).
resource "google_cloud_scheduler_job" "this" {
  for_each    = var.jobs
  project     = var.project_id
  region      = var.region
  name        = each.key
  description = each.value.description
  schedule    = each.value.schedule
  time_zone   = each.value.time_zone
  paused      = var.paused

  retry_config {
    retry_count          = 3
    min_backoff_duration = "5s"
    max_backoff_duration = "60s"
  }

  pubsub_target {
    topic_name = var.topic_ids[each.value.topic]
    data       = base64encode(each.value.data)
    attributes = each.value.attributes
  }
}
