output "alert_policies" {
  description = "alert policy names by kind and key"
  value = {
    dead_letter        = { for k, p in google_monitoring_alert_policy.dead_letter : k => p.name }
    oldest_unacked     = { for k, p in google_monitoring_alert_policy.oldest_unacked : k => p.name }
    error_5xx          = { for k, p in google_monitoring_alert_policy.error_5xx : k => p.name }
    latency_p99        = { for k, p in google_monitoring_alert_policy.latency_p99 : k => p.name }
    instances_near_max = { for k, p in google_monitoring_alert_policy.instances_near_max : k => p.name }
  }
}

output "dashboard_id" {
  value = google_monitoring_dashboard.pmm.id
}
