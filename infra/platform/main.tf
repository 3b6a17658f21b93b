# The whole platform for one stage. Every topic, subscription, function, secret, scheduler job,
# Firestore field and route comes from infra/generated/*.json (`make infra-sync`), never from a
# hand-written list: the test suite fails when those files and the code disagree.
locals {
  messaging = jsondecode(file("${path.module}/../generated/messaging.json"))
  catalogue = jsondecode(file("${path.module}/../generated/functions.json"))
  firestore = jsondecode(file("${path.module}/../generated/firestore.json"))
  frontdoor = jsondecode(file("${path.module}/../generated/frontdoor.json"))
  functions = local.catalogue.functions

  pubsub_agent  = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  storage_agent = "serviceAccount:service-${data.google_project.this.number}@gs-project-accounts.iam.gserviceaccount.com"
  secrets_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-secretmanager.iam.gserviceaccount.com"

  # function SA x topic its service produces (outbox publish after commit, and the sweeper)
  function_publishers = merge([for name, f in local.functions : {
    for topic in f.publishes : "${name}|${topic}" => { topic = topic, member = module.iam.function_members[name] }
  }]...)
  # outside systems publish their reference topics only
  external_publishers = merge([for topic, system in local.messaging.external_producers : {
    for member in lookup(var.external_publishers, system, []) : "${topic}|${member}" => { topic = topic, member = member }
  }]...)

  secret_accessors = merge([for name, f in local.functions : {
    for env, secret in f.secrets : "${name}|${secret}" => { secret = secret, member = module.iam.function_members[name] }
  }]...)

  token_key_users = { for name, f in local.functions : name => module.iam.function_members[name]
  if contains(values(f.env), "ref:kms_token_key") }

  # https://host[/...] -> host: the load balancer's certificate and host rule
  public_host = regex("^https://([^/:]+)", var.public_url)[0]
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com", "cloudbuild.googleapis.com", "cloudfunctions.googleapis.com",
    "cloudkms.googleapis.com", "cloudscheduler.googleapis.com", "cloudtrace.googleapis.com", "compute.googleapis.com",
    "firestore.googleapis.com", "iam.googleapis.com", "logging.googleapis.com", "monitoring.googleapis.com",
    "pubsub.googleapis.com", "run.googleapis.com", "secretmanager.googleapis.com", "storage.googleapis.com",
    "youtube.googleapis.com",
  ])
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# Uploads are evidence of teachers' performance: record who wrote what.
resource "google_project_iam_audit_config" "storage" {
  project = var.project_id
  service = "storage.googleapis.com"

  audit_log_config {
    log_type = "DATA_WRITE"
  }

  audit_log_config {
    log_type = "ADMIN_READ"
  }
}

module "kms" {
  source      = "../modules/kms"
  project_id  = var.project_id
  region      = var.region
  environment = var.environment
  cmek_agents = {
    pubsub         = local.pubsub_agent
    storage        = local.storage_agent
    secret_manager = local.secrets_agent
  }
  token_key_users = local.token_key_users
  depends_on      = [google_project_service.apis]
}

module "iam" {
  source      = "../modules/iam"
  project_id  = var.project_id
  functions   = local.functions
  database_of = module.firestore.database_of
  depends_on  = [google_project_service.apis]
}

module "storage" {
  source       = "../modules/storage"
  project_id   = var.project_id
  region       = var.region
  kms_key_id   = module.kms.data_key_id
  cors_origins = var.cors_origins
  hmac_member  = module.iam.berkas_s3_member
}

module "secrets" {
  source     = "../modules/secrets"
  project_id = var.project_id
  region     = var.region
  kms_key_id = module.kms.data_key_id
  secret_ids = local.catalogue.secrets
  accessors  = local.secret_accessors
}

module "firestore" {
  source            = "../modules/firestore"
  project_id        = var.project_id
  location          = var.region
  layout            = var.firestore_layout
  databases         = local.firestore.databases
  fields            = local.firestore.fields
  composite_indexes = local.firestore.composite_indexes
  depends_on        = [google_project_service.apis]
}

module "functions" {
  source             = "../modules/functions"
  project_id         = var.project_id
  region             = var.region
  environment        = var.environment
  functions          = local.functions
  bundle_dir         = var.bundle_dir
  sources_bucket     = module.storage.sources_bucket
  service_accounts   = module.iam.function_emails
  secret_ids         = module.secrets.secret_ids
  push_invoker_email = module.iam.push_email
  database_of        = module.firestore.database_of
  secret_versions    = var.secret_versions
  cors_origins       = var.cors_origins
  auth_audience      = var.auth_audience
  berkas_bucket      = module.storage.berkas_bucket
  google_client_id   = var.google_client_id
  kms_token_key_id   = module.kms.token_key_id
  ekinerja_url       = var.ekinerja_url
  public_url         = var.public_url
  scaling_defaults   = var.scaling_defaults
  scaling            = var.scaling
  depends_on         = [module.firestore]
}

module "pubsub" {
  source                     = "../modules/pubsub"
  project_id                 = var.project_id
  environment                = var.environment
  region                     = var.region
  kms_key_id                 = module.kms.data_key_id
  topics                     = local.messaging.topics
  subscriptions              = local.messaging.subscriptions
  dead_letter_topics         = local.messaging.dead_letter_topics
  push_endpoints             = module.functions.uris
  push_service_account_email = module.iam.push_email
  push_service_account_name  = module.iam.push_name
  pubsub_agent_member        = local.pubsub_agent
  publishers                 = merge(local.function_publishers, local.external_publishers)
  max_delivery_attempts      = var.max_delivery_attempts
}

module "scheduler" {
  source     = "../modules/scheduler"
  project_id = var.project_id
  region     = var.region
  jobs       = local.messaging.scheduler_jobs
  topic_ids  = module.pubsub.topic_ids
}

module "load_balancer" {
  source             = "../modules/load_balancer"
  project_id         = var.project_id
  region             = var.region
  environment        = var.environment
  hostname           = local.public_host
  services           = local.frontdoor.services
  cloud_run_services = module.functions.services
  partner_path_regex = local.frontdoor.partner_path_regex
  rate_limits        = var.rate_limits
  depends_on         = [google_project_service.apis]
}

module "monitoring" {
  source                       = "../modules/monitoring"
  project_id                   = var.project_id
  environment                  = var.environment
  functions                    = local.functions
  subscriptions                = local.messaging.subscriptions
  dead_letter_topics           = local.messaging.dead_letter_topics
  services                     = module.functions.services
  scaling                      = module.functions.scaling
  notification_channels        = var.notification_channels
  runbook_url                  = var.runbook_url
  thresholds                   = var.alert_thresholds
  oldest_unacked_age_overrides = var.oldest_unacked_age_overrides
  slo                          = var.slo
  depends_on                   = [google_project_service.apis]
}
