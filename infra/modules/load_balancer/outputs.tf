output "ip_address" {
  description = "point the public host's A record here (the managed certificate waits for it)"
  value       = google_compute_global_address.this.address
}

output "backend_services" {
  value = { for service, b in google_compute_backend_service.this : service => b.id }
}

output "security_policy" {
  value = google_compute_security_policy.this.id
}
