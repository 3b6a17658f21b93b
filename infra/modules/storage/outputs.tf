output "berkas_bucket" {
  value = google_storage_bucket.berkas.name
}

output "sources_bucket" {
  value = google_storage_bucket.sources.name
}
