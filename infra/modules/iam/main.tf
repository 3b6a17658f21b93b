# Identities. One runtime service account per function (least privilege: each gets only
# what its own entry in generated/functions.json needs), plus the callers:
#  - pubsub-push: the OIDC identity of every push subscription (run.invoker on event functions only);
#  - gateway:     API Gateway's backend identity (run.invoker on HTTP functions only);
#  - berkas-s3:   owner of the bucket's HMAC key (object rights on that bucket only).
resource "google_service_account" "function" {
  for_each     = var.functions
  project      = var.project_id
  account_id   = each.value.service_account_id
  display_name = "PMM function ${each.key}"
  description  = "Runtime identity of Cloud Function ${each.value.deploy_name} (${each.value.service})"
}

resource "google_service_account" "push" {
  project      = var.project_id
  account_id   = "pmm-pubsub-push"
  display_name = "PMM Pub/Sub push (OIDC)"
}

resource "google_service_account" "gateway" {
  project      = var.project_id
  account_id   = "pmm-api-gateway"
  display_name = "PMM API Gateway backend"
}

resource "google_service_account" "berkas_s3" {
  project      = var.project_id
  account_id   = "pmm-berkas-s3"
  display_name = "PMM uploads (S3 API HMAC key owner)"
}

locals {
  # Project-wide roles a function needs: Firestore data (no per-collection IAM exists; the
  # `<service>__` prefix is enforced in code and by tests), and telemetry.
  project_roles = ["roles/datastore.user", "roles/logging.logWriter", "roles/monitoring.metricWriter",
  "roles/cloudtrace.agent"]
  function_roles = { for pair in setproduct(keys(var.functions), local.project_roles) :
    "${pair[0]}|${pair[1]}" => { function = pair[0], role = pair[1] }
  }
}

resource "google_project_iam_member" "function" {
  for_each = local.function_roles
  project  = var.project_id
  role     = each.value.role
  member   = google_service_account.function[each.value.function].member
}
