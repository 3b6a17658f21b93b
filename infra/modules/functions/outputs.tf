output "uris" {
  description = "function => https URL (push endpoints and gateway backends)"
  value       = { for k, f in google_cloudfunctions2_function.this : k => f.service_config[0].uri }
}
