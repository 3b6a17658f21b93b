# Cloud Functions (2nd gen): one per entry point in generated/functions.json, each with its own
# service account, its env vars (values or Terraform refs) and Secret Manager secrets, and the
# scaling chosen for its role (api / consumer / sweeper) or for itself (var.scaling).
locals {
  # `ref:<name>` values in generated/functions.json resolve here; anything else is literal.
  # A list becomes one env var joined by commas (shared/settings.py splits PMM_AUTH_AUDIENCE again).
  refs = {
    "ref:project_id"       = var.project_id
    "ref:environment"      = var.environment
    "ref:auth_audience"    = join(",", var.auth_audience)
    "ref:bucket"           = var.berkas_bucket
    "ref:google_client_id" = var.google_client_id
    "ref:kms_token_key"    = var.kms_token_key_id
    "ref:ekinerja_url"     = var.ekinerja_url
    "ref:public_url"       = var.public_url
    # PMM_CORS_ORIGINS: the front door (load balancer) does no CORS, the functions answer it.
    "ref:cors_origins" = join(",", var.cors_origins)
  }

  scaling = { for name, f in var.functions : name => merge(
    var.scaling_defaults[f.role],
    { for k, v in lookup(var.scaling, name, {}) : k => v if v != null }
  ) }

  sources = toset([for f in var.functions : f.source])
}

resource "google_storage_bucket_object" "source" {
  for_each = local.sources
  name     = "${each.value}-${filemd5("${var.bundle_dir}/${each.value}.zip")}.zip"
  bucket   = var.sources_bucket
  source   = "${var.bundle_dir}/${each.value}.zip"
}

resource "google_cloudfunctions2_function" "this" {
  for_each    = var.functions
  project     = var.project_id
  location    = var.region
  name        = each.value.deploy_name
  description = "PMM ${each.value.service}: ${each.key} (${each.value.trigger})"

  labels = {
    platform = "pmm"
    service  = replace(each.value.service, "_", "-")
    role     = each.value.role
  }

  build_config {
    runtime     = var.runtime
    entry_point = each.value.entry_point

    source {
      storage_source {
        bucket = var.sources_bucket
        object = google_storage_bucket_object.source[each.value.source].name
      }
    }
  }

  service_config {
    service_account_email            = var.service_accounts[each.key]
    min_instance_count               = local.scaling[each.key].min_instances
    max_instance_count               = local.scaling[each.key].max_instances
    max_instance_request_concurrency = local.scaling[each.key].concurrency
    available_cpu                    = local.scaling[each.key].cpu
    available_memory                 = local.scaling[each.key].memory
    timeout_seconds                  = local.scaling[each.key].timeout_seconds
    all_traffic_on_latest_revision   = true
    # HTTP functions take traffic only through the load balancer (and from inside the project):
    # their run.app URL refuses the internet. Event functions take only Pub/Sub push (internal).
    ingress_settings = each.value.trigger == "http" ? "ALLOW_INTERNAL_AND_GCLB" : "ALLOW_INTERNAL_ONLY"

    environment_variables = merge(
      { for k, v in each.value.env : k => lookup(local.refs, v, v) },
      {
        # functions-framework's gunicorn: one worker per vCPU, threads = concurrency per worker.
        WORKERS          = tostring(max(1, floor(tonumber(local.scaling[each.key].cpu))))
        THREADS          = tostring(ceil(local.scaling[each.key].concurrency / max(1, floor(tonumber(local.scaling[each.key].cpu)))))
        LOG_EXECUTION_ID = "true"
        # The Firestore database of the function's service (layout per_service: its own, which is
        # also what Settings derives without it; shared: "(default)"). shared.settings.database.
        PMM_FIRESTORE_DATABASE = var.database_of[each.value.service]
      }
    )

    dynamic "secret_environment_variables" {
      for_each = each.value.secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = var.secret_ids[secret_environment_variables.value]
        # "latest" unless pinned: the HMAC key id and secret are pinned to the same version number
        # so a revision never pairs a new id with an old secret during a rotation.
        version = lookup(var.secret_versions, secret_environment_variables.value, "latest")
      }
    }
  }
}

# Who may call each function. Event functions: the push identity only. HTTP functions: anyone who
# reaches them, which ingress ALLOW_INTERNAL_AND_GCLB limits to the load balancer (behind Cloud
# Armor) and the project's own network. The load balancer forwards requests without a Google
# identity token of its own (serverless NEGs cannot add one), and the functions verify the caller
# themselves: the belajar.id ID token with google-auth, or the partner's x-api-key; every route is
# authorised in code (infra/README.md, "Front door").
resource "google_cloud_run_service_iam_member" "invoker" {
  #checkov:skip=CKV_GCP_102: HTTP functions are public by design, reachable only via the load balancer (ingress ALLOW_INTERNAL_AND_GCLB, Cloud Armor) and verify belajar.id tokens / API keys themselves
  for_each = var.functions
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.this[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = each.value.trigger == "http" ? "allUsers" : "serviceAccount:${var.push_invoker_email}"
}
