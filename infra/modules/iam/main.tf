# Identities. One runtime service account per function (least privilege: each gets only
# what its own entry in generated/functions.json needs), plus the callers:
#  - pubsub-push: the OIDC identity of every push subscription (run.invoker on event functions only);
#  - berkas-s3:   owner of the uploads bucket's HMAC keys (object rights on that bucket only; the
#                 keys themselves are made out of band, infra/README.md "Upload HMAC keys").
# The load balancer calls HTTP functions without an identity (allUsers run.invoker, modules/functions).
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

resource "google_service_account" "berkas_s3" {
  project      = var.project_id
  account_id   = "pmm-berkas-s3"
  display_name = "PMM uploads (S3 API HMAC key owner)"
  description  = "Owns the HMAC keys of the S3-compatible upload path; objectUser on the uploads bucket only"
}

locals {
  # Project-wide: log writing (each function's request log) and span writing (shared/tracing.py,
  # PMM_TRACE_EXPORTER=gcp). No Firestore role on the project: see google_project_iam_member.firestore.
  # The code uses no Monitoring client, so monitoring.metricWriter is not granted.
  project_roles = ["roles/logging.logWriter", "roles/cloudtrace.agent"]
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

# Firestore data access, limited by an IAM condition to the database of the function's own service
# (layout per_service: each service its own database; layout shared: the (default) database only).
resource "google_project_iam_member" "firestore" {
  for_each = var.functions
  project  = var.project_id
  role     = "roles/datastore.user"
  member   = google_service_account.function[each.key].member

  condition {
    title       = "firestore-${var.database_of[each.value.service]}"
    description = "Firestore database of service ${each.value.service} only"
    expression  = "resource.name == \"projects/${var.project_id}/databases/${var.database_of[each.value.service]}\""
  }
}
