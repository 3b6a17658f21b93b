output "uris" {
  description = "function => https URL (push endpoints)"
  value       = { for k, f in google_cloudfunctions2_function.this : k => f.service_config[0].uri }
}

output "services" {
  description = "function => its Cloud Run service (the load balancer's serverless NEGs)"
  value       = { for k, f in google_cloudfunctions2_function.this : k => f.service_config[0].service }
}

output "scaling" {
  description = "function => its resolved scaling (role defaults merged with its override): the monitoring module's near-max alerts"
  value       = local.scaling
}
