output "secret_ids" {
  description = "secret id => secret_id (a reference, so functions wait for the secrets)"
  value       = { for k, s in google_secret_manager_secret.this : k => s.secret_id }
}
