# API Gateway: one public host for the four APIs. The OpenAPI 2.0 document is generated from
# the services' routes (generated/gateway-openapi.json): every path under /v1/<slug>/ goes to
# that service's HTTP function (APPEND_PATH_TO_ADDRESS), and user routes require a belajar.id
# Google ID token (issuer https://accounts.google.com, Google's JWKS, our OAuth client ids).
# The gateway calls the functions with its own identity and passes the caller's token on in
# X-Forwarded-Authorization.
locals {
  openapi = templatefile(var.openapi_template, merge(
    { for service, url in var.backends : "backend_${service}" => url },
    # x-google-audiences: the client ids, comma-separated (API Gateway's documented shape)
    { auth_audience = join(",", var.auth_audience) }
  ))
}

resource "google_api_gateway_api" "this" {
  provider = google-beta
  project  = var.project_id
  api_id   = "pmm-${var.environment}"
}

resource "google_api_gateway_api_config" "this" {
  provider             = google-beta
  project              = var.project_id
  api                  = google_api_gateway_api.this.api_id
  api_config_id_prefix = "pmm-${var.environment}-"

  openapi_documents {
    document {
      path     = "openapi.yaml"
      contents = base64encode(local.openapi)
    }
  }

  gateway_config {
    backend_config {
      google_service_account = var.gateway_service_account_email
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_api_gateway_gateway" "this" {
  provider   = google-beta
  project    = var.project_id
  region     = var.region
  api_config = google_api_gateway_api_config.this.id
  gateway_id = "pmm-${var.environment}"
}
