# Firestore (Native mode): the database, the per-service outbox and ledger field settings
# (generated/firestore.json .fields) and the composite indexes (.composite_indexes).
resource "google_firestore_database" "this" {
  project                           = var.project_id
  name                              = "(default)"
  location_id                       = var.location
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "PESSIMISTIC"
  app_engine_integration_mode       = "DISABLED"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = "ABANDON"
}

resource "google_firestore_backup_schedule" "daily" {
  project   = var.project_id
  database  = google_firestore_database.this.name
  retention = var.backup_retention

  daily_recurrence {}
}

# Outbox `dibuat` keeps its ascending index (the sweeper's query); payload fields and the
# ledger's TTL field are exempt from indexing; `kedaluwarsa` is the ledger's TTL.
resource "google_firestore_field" "this" {
  for_each   = var.fields
  project    = var.project_id
  database   = google_firestore_database.this.name
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
  database   = google_firestore_database.this.name
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
