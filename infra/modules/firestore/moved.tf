# The single database became a for_each in the layout change; keep the existing (default) database
# and its backup schedule under their new addresses (no replacement).
moved {
  from = google_firestore_database.this
  to   = google_firestore_database.this["shared"]
}

moved {
  from = google_firestore_backup_schedule.daily
  to   = google_firestore_backup_schedule.daily["shared"]
}
