# Firestore (Native mode) in Jakarta. Layout `per_service` (the target): one named database per
# service (generated/firestore.json .databases), so each function's service account can be granted
# Firestore access on its own service's database only (IAM condition on resource.name, modules/iam).
# Layout `shared` (roll back only): the one `(default)` database, every function on it.
# Each database: PITR, delete protection, a daily backup schedule; the outbox/ledger field settings
# and composite indexes of a service go to the database that service uses.
locals {
  databases = var.layout == "per_service" ? var.databases : { shared = "(default)" }
  # service => the database its collections live in
  database_of = { for service, id in var.databases : service => var.layout == "per_service" ? id : "(default)" }
  key_of      = { for service, id in var.databases : service => var.layout == "per_service" ? service : "shared" }
}

resource "google_firestore_database" "this" {
  for_each                          = local.databases
  project                           = var.project_id
  name                              = each.value
  location_id                       = var.location
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "PESSIMISTIC"
  app_engine_integration_mode       = "DISABLED"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = "ABANDON"
}

resource "google_firestore_backup_schedule" "daily" {
  for_each  = local.databases
  project   = var.project_id
  database  = google_firestore_database.this[each.key].name
  retention = var.backup_retention

  daily_recurrence {}
}

# Outbox `dibuat` keeps its ascending index (the sweeper's query); payload fields and the
# ledger's TTL field are exempt from indexing; `kedaluwarsa` is the ledger's TTL.
resource "google_firestore_field" "this" {
  for_each   = var.fields
  project    = var.project_id
  database   = google_firestore_database.this[local.key_of[each.value.service]].name
  collection = each.value.collection
  field      = each.value.field

  dynamic "ttl_config" {
    for_each = each.value.ttl ? [1] : []
    content {}
  }

  index_config {
    dynamic "indexes" {
      for_each = each.value.indexed ? ["ASCENDING", "DESCENDING"] : []
      content {
        order       = indexes.value
        query_scope = "COLLECTION"
      }
    }
  }
}

resource "google_firestore_index" "composite" {
  for_each   = var.composite_indexes
  project    = var.project_id
  database   = google_firestore_database.this[local.key_of[each.value.service]].name
  collection = each.value.collection

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path   = fields.value.field
      order        = lookup(fields.value, "order", null)
      array_config = lookup(fields.value, "array_config", null)
    }
  }
}
