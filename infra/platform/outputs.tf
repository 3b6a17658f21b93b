output "gateway_hostname" {
  value = module.api_gateway.hostname
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
