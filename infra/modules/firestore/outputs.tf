output "database_of" {
  description = "service => the Firestore database id its functions use (PMM_FIRESTORE_DATABASE)"
  value       = local.database_of
  depends_on  = [google_firestore_database.this]
}
