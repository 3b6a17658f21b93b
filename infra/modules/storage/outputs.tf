output "berkas_bucket" {
  value = google_storage_bucket.berkas.name
}

output "sources_bucket" {
  value = google_storage_bucket.sources.name
}

output "hmac_access_id" {
  value     = google_storage_hmac_key.berkas.access_id
  sensitive = true
}

output "hmac_secret" {
  value     = google_storage_hmac_key.berkas.secret
  sensitive = true
}
