terraform {
  required_version = ">= 1.9"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.50"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 6.50"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}

module "platform" {
  source                = "../../platform"
  project_id            = var.project_id
  environment           = var.environment
  region                = var.region
  firestore_layout      = var.firestore_layout
  rate_limits           = var.rate_limits
  secret_versions       = var.secret_versions
  bundle_dir            = "${path.root}/../../../build/bundles"
  auth_audience         = var.auth_audience
  google_client_id      = var.google_client_id
  ekinerja_url          = var.ekinerja_url
  public_url            = var.public_url
  cors_origins          = var.cors_origins
  external_publishers   = var.external_publishers
  max_delivery_attempts = var.max_delivery_attempts
  scaling_defaults      = var.scaling_defaults
  scaling               = var.scaling
  notification_channels = var.notification_channels
  runbook_url           = var.runbook_url
  alert_thresholds      = var.alert_thresholds
  slo                   = var.slo

  oldest_unacked_age_overrides = var.oldest_unacked_age_overrides
}

output "public_ip" {
  value = module.platform.public_ip
}

output "function_uris" {
  value = module.platform.function_uris
}

output "dead_letter_subscriptions" {
  value = module.platform.dead_letter_subscriptions
}
