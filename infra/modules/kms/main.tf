# Cloud KMS: one key ring per stage in the functions' region.
#  - `token`: wraps the data keys of YouTube refresh tokens (karya reads PMM_KMS_KUNCI_TOKEN).
#  - `data`:  CMEK for Pub/Sub topics, Secret Manager secrets and the uploads bucket.
resource "google_kms_key_ring" "this" {
  name     = "pmm-${var.environment}"
  location = var.region
  project  = var.project_id
}

resource "google_kms_crypto_key" "token" {
  name            = "token"
  key_ring        = google_kms_key_ring.this.id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = var.rotation_period

  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = var.protection_level
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_kms_crypto_key" "data" {
  name            = "data"
  key_ring        = google_kms_key_ring.this.id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = var.rotation_period

  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = var.protection_level
  }

  lifecycle {
    prevent_destroy = true
  }
}

# Google-managed service agents that encrypt with the data key (CMEK).
resource "google_kms_crypto_key_iam_member" "data_agents" {
  for_each      = var.cmek_agents
  crypto_key_id = google_kms_crypto_key.data.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = each.value
}

# Functions that wrap/unwrap token data keys (those whose Settings read PMM_KMS_KUNCI_TOKEN).
resource "google_kms_crypto_key_iam_member" "token_users" {
  for_each      = var.token_key_users
  crypto_key_id = google_kms_crypto_key.token.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = each.value
}
