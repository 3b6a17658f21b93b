# Secret Manager: one secret per id that a function's Settings read (generated/functions.json
# .secrets: the OAuth state secret, the e-Kinerja API key, the partner key hashes, the pepper,
# the Google OAuth client secret, the bucket's HMAC key). Terraform manages the containers only:
# every value is added out of band (`gcloud secrets versions add`, infra/README.md), so no secret
# value is ever in Terraform state.
resource "google_secret_manager_secret" "this" {
  for_each  = toset(var.secret_ids)
  project   = var.project_id
  secret_id = each.value

  labels = {
    platform = "pmm"
  }

  replication {
    user_managed {
      replicas {
        location = var.region
        customer_managed_encryption {
          kms_key_name = var.kms_key_id
        }
      }
    }
  }
}

# Each function reads only the secrets its own Settings need.
resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each  = var.accessors
  project   = var.project_id
  secret_id = google_secret_manager_secret.this[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value.member
}
