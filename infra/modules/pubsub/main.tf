# Pub/Sub: every topic of the registry, a dead-letter topic with its own pull subscription per
# consumer, and an explicit push subscription per consumer (OIDC, retry policy, dead letter).
# All from generated/messaging.json.
resource "google_pubsub_topic" "topic" {
  for_each     = var.topics
  project      = var.project_id
  name         = each.key
  kms_key_name = var.kms_key_id

  labels = {
    platform = "pmm"
    producer = replace(replace(each.value.producer, ":", "-"), "_", "-")
  }

  message_storage_policy {
    allowed_persistence_regions = [var.region]
  }
}

resource "google_pubsub_topic" "dlq" {
  for_each     = var.dead_letter_topics
  project      = var.project_id
  name         = each.key
  kms_key_name = var.kms_key_id

  labels = {
    platform = "pmm"
    kind     = "dead-letter"
  }

  message_storage_policy {
    allowed_persistence_regions = [var.region]
  }
}

# Where dead letters wait for a person (or a replay script); kept the maximum 7 days.
resource "google_pubsub_subscription" "dlq" {
  for_each                   = var.dead_letter_topics
  project                    = var.project_id
  name                       = each.value.subscription
  topic                      = google_pubsub_topic.dlq[each.key].id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = false

  expiration_policy {
    ttl = ""
  }
}

# For a push the ack deadline is how long Pub/Sub waits for the function's answer: each subscription's
# is its function's timeout in this stage (generated per function and stage by infra/sync.py).
resource "google_pubsub_subscription" "push" {
  for_each                   = var.subscriptions
  project                    = var.project_id
  name                       = each.key
  topic                      = google_pubsub_topic.topic[each.value.topic].id
  ack_deadline_seconds       = each.value.ack_deadline_seconds[var.environment]
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = var.minimum_backoff
    maximum_backoff = var.maximum_backoff
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dlq[each.value.dead_letter_topic].id
    max_delivery_attempts = var.max_delivery_attempts
  }

  push_config {
    # The topic path after the function URL lets functions-framework build the CloudEvent source.
    push_endpoint = "${var.push_endpoints[each.value.function]}/projects/${var.project_id}/topics/${each.value.topic}"

    oidc_token {
      service_account_email = var.push_service_account_email
      audience              = var.push_endpoints[each.value.function]
    }

    attributes = {
      x-goog-version = "v1"
    }
  }
}

# The Pub/Sub service agent forwards undeliverable messages: publisher on every DLQ,
# subscriber on every source subscription.
resource "google_pubsub_topic_iam_member" "agent_dlq_publisher" {
  for_each = var.dead_letter_topics
  project  = var.project_id
  topic    = google_pubsub_topic.dlq[each.key].name
  role     = "roles/pubsub.publisher"
  member   = var.pubsub_agent_member
}

resource "google_pubsub_subscription_iam_member" "agent_source_subscriber" {
  for_each     = var.subscriptions
  project      = var.project_id
  subscription = google_pubsub_subscription.push[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = var.pubsub_agent_member
}

# The agent mints the push subscriptions' OIDC tokens as the push identity.
resource "google_service_account_iam_member" "agent_token_creator" {
  service_account_id = var.push_service_account_name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = var.pubsub_agent_member
}

# Each function publishes (outbox and sweeper) only its own service's topics; outside systems
# publish only the reference topics they own.
resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = var.publishers
  project  = var.project_id
  topic    = google_pubsub_topic.topic[each.value.topic].name
  role     = "roles/pubsub.publisher"
  member   = each.value.member
}
