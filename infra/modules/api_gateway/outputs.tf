output "hostname" {
  value = google_api_gateway_gateway.this.default_hostname
}

output "openapi" {
  value = local.openapi
}
