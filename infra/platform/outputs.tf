output "public_ip" {
  description = "the load balancer's address: the public host's DNS A record"
  value       = module.load_balancer.ip_address
}

output "function_uris" {
  value = module.functions.uris
}

output "berkas_bucket" {
  value = module.storage.berkas_bucket
}

output "dead_letter_subscriptions" {
  value = module.pubsub.dead_letter_subscription_ids
}
