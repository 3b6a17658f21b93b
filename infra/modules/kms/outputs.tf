output "token_key_id" {
  value = google_kms_crypto_key.token.id
}

output "data_key_id" {
  value = google_kms_crypto_key.data.id
}
