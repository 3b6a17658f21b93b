# Cloud Storage: the uploads bucket the services reach through the S3-interoperable XML API
# (boto3 with an HMAC key of sa pmm-berkas-s3), and the bucket holding the functions' source bundles.
resource "google_storage_bucket" "berkas" {
  #checkov:skip=CKV_GCP_62: object writes are recorded by Cloud Audit Logs (DATA_WRITE for storage, enabled in infra/platform); legacy usage-log buckets add nothing
  name                        = "${var.project_id}-berkas"
  project                     = var.project_id
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  # Browsers PUT straight to a pre-signed URL, then GET through signed URLs.
  cors {
    origin          = var.cors_origins
    method          = ["PUT", "GET", "HEAD"]
    response_header = ["Content-Type", "Content-MD5", "ETag"]
    max_age_seconds = 3600
  }

  # Unconfirmed uploads live under `sementara/` (never attached): gone after a day.
  lifecycle_rule {
    condition {
      age            = 1
      matches_prefix = ["sementara/"]
    }
    action {
      type = "Delete"
    }
  }

  # Multipart uploads a browser abandoned.
  lifecycle_rule {
    condition {
      age = 2
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  # Evidence of past semesters is read rarely.
  lifecycle_rule {
    condition {
      age                   = 365
      matches_storage_class = ["STANDARD"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  # Overwritten or deleted objects are kept 30 days (undo), then removed.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket" "sources" {
  #checkov:skip=CKV_GCP_62: holds only build artefacts (function zips); deploys are recorded in Cloud Audit Logs
  name                        = "${var.project_id}-fungsi-sumber"
  project                     = var.project_id
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 10
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

# The S3 API identity: object rights on the uploads bucket only (nothing on the project). Its HMAC
# keys are created out of band (`gcloud storage hmac create`), never by Terraform, so no key secret
# is ever in Terraform state; infra/README.md "Upload HMAC keys" has creation and rotation.
resource "google_storage_bucket_iam_member" "berkas_s3" {
  bucket = google_storage_bucket.berkas.name
  role   = "roles/storage.objectUser"
  member = var.hmac_member
}
