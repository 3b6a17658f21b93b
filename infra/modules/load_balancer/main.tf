# The front door: one global external Application Load Balancer (EXTERNAL_MANAGED) for the four
# APIs. Google's edge terminates TLS next to the caller (Jakarta PoPs) and carries the request on
# Google's backbone to a serverless NEG per HTTP function in the functions' own region; the URL map
# sends `/v1/<slug>/*` to that service's function (generated/frontdoor.json). Cloud Armor sits on
# every backend service: OWASP rules, per-client rate limits, Adaptive Protection.
# The caller's Authorization header reaches the function unchanged; the functions verify the
# belajar.id ID token (or the partner's x-api-key) themselves, so the load balancer needs no IAM
# identity (infra/README.md, "Front door").
locals {
  name = "pmm-${var.environment}"
  # Rules evaluate in priority order and stop at the first match, and a throttle rule's conform
  # action `allow` ends evaluation too: the WAF rules therefore come first, the rate rules after.
  waf_rules = {
    "sqli-v33-stable"              = 1000
    "xss-v33-stable"               = 1010
    "lfi-v33-stable"               = 1020
    "rfi-v33-stable"               = 1030
    "rce-v33-stable"               = 1040
    "methodenforcement-v33-stable" = 1050
    "protocolattack-v33-stable"    = 1060
    "scannerdetection-v33-stable"  = 1070
    "sessionfixation-v33-stable"   = 1080
  }
  # The next sensitivity of the two rule sets most exposed to teachers' free text, in preview only:
  # its matches are logged (never enforced) so raising the level is decided from real traffic.
  waf_preview_rules = {
    "sqli-v33-stable" = 1900
    "xss-v33-stable"  = 1910
  }
  first_service = sort(keys(var.services))[0]
}

resource "google_compute_region_network_endpoint_group" "this" {
  for_each              = var.services
  project               = var.project_id
  name                  = "${local.name}-${replace(each.key, "_", "-")}"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = var.cloud_run_services[each.value.function]
  }
}

resource "google_compute_backend_service" "this" {
  for_each              = var.services
  project               = var.project_id
  name                  = "${local.name}-${replace(each.key, "_", "-")}"
  description           = "PMM ${each.key}: ${each.value.prefix}/* -> ${each.value.deploy_name}"
  protocol              = "HTTPS"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  security_policy       = google_compute_security_policy.this.id

  backend {
    group = google_compute_region_network_endpoint_group.this[each.key].id
  }

  # Every function logs each request itself (trace id, route, status, Firestore ops); the load
  # balancer's log adds the edge's view (Cloud Armor decisions, client RTT), a sample is enough.
  log_config {
    enable      = true
    sample_rate = 0.1
  }
}

resource "google_compute_url_map" "https" {
  project         = var.project_id
  name            = "${local.name}-https"
  description     = "/v1/<slug>/* to the service's function (generated/frontdoor.json)"
  default_service = google_compute_backend_service.this[local.first_service].id

  host_rule {
    hosts        = [var.hostname]
    path_matcher = "api"
  }

  # Paths outside every prefix reach one function, whose router answers 404 problem+json.
  path_matcher {
    name            = "api"
    default_service = google_compute_backend_service.this[local.first_service].id

    dynamic "path_rule" {
      for_each = var.services
      content {
        paths   = [path_rule.value.prefix, "${path_rule.value.prefix}/*"]
        service = google_compute_backend_service.this[path_rule.key].id
      }
    }
  }
}

resource "google_compute_managed_ssl_certificate" "this" {
  project = var.project_id
  name    = "${local.name}-${replace(var.hostname, ".", "-")}"

  managed {
    domains = [var.hostname]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_compute_ssl_policy" "this" {
  project         = var.project_id
  name            = "${local.name}-tls12"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

resource "google_compute_target_https_proxy" "this" {
  project          = var.project_id
  name             = "${local.name}-https"
  url_map          = google_compute_url_map.https.id
  ssl_certificates = [google_compute_managed_ssl_certificate.this.id]
  ssl_policy       = google_compute_ssl_policy.this.id
}

resource "google_compute_global_address" "this" {
  project    = var.project_id
  name       = local.name
  ip_version = "IPV4"
}

resource "google_compute_global_forwarding_rule" "https" {
  project               = var.project_id
  name                  = "${local.name}-https"
  target                = google_compute_target_https_proxy.this.id
  ip_address            = google_compute_global_address.this.id
  ip_protocol           = "TCP"
  port_range            = "443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
}

# Plain HTTP on the same address only redirects to HTTPS (301, query kept).
resource "google_compute_url_map" "redirect" {
  project = var.project_id
  name    = "${local.name}-http-redirect"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

resource "google_compute_target_http_proxy" "redirect" {
  project = var.project_id
  name    = "${local.name}-http-redirect"
  url_map = google_compute_url_map.redirect.id
}

resource "google_compute_global_forwarding_rule" "http" {
  project               = var.project_id
  name                  = "${local.name}-http"
  target                = google_compute_target_http_proxy.redirect.id
  ip_address            = google_compute_global_address.this.id
  ip_protocol           = "TCP"
  port_range            = "80"
  load_balancing_scheme = "EXTERNAL_MANAGED"
}

resource "google_compute_security_policy" "this" {
  project     = var.project_id
  name        = local.name
  description = "PMM APIs: OWASP CRS, per-client rate limits, Adaptive Protection"
  type        = "CLOUD_ARMOR"

  # L7 DDoS: learns each backend's normal traffic and alerts (with a suggested rule) on anomalies.
  adaptive_protection_config {
    layer_7_ddos_defense_config {
      enable          = true
      rule_visibility = "STANDARD"
    }
  }

  # Parse JSON bodies so the WAF inspects values, not the raw document: fewer false positives on
  # teachers' free text (reflections, observations) than matching the whole body.
  advanced_options_config {
    json_parsing = "STANDARD"
    log_level    = "NORMAL"
  }

  dynamic "rule" {
    for_each = local.waf_rules
    content {
      action      = "deny(403)"
      priority    = rule.value
      description = "OWASP CRS ${rule.key}, sensitivity ${var.waf_sensitivity}"
      match {
        expr {
          expression = "evaluatePreconfiguredWaf('${rule.key}', {'sensitivity': ${var.waf_sensitivity}})"
        }
      }
    }
  }

  dynamic "rule" {
    for_each = local.waf_preview_rules
    content {
      action      = "deny(403)"
      priority    = rule.value
      preview     = true
      description = "preview: OWASP CRS ${rule.key}, sensitivity ${var.waf_sensitivity + 1}"
      match {
        expr {
          expression = "evaluatePreconfiguredWaf('${rule.key}', {'sensitivity': ${var.waf_sensitivity + 1}})"
        }
      }
    }
  }

  # Log4Shell probes (`${jndi:...}`): nothing here runs Java, but they are scanners' staple and no
  # teacher's text contains them; blocked at the edge instead of costing a function call.
  rule {
    action      = "deny(403)"
    priority    = 1090
    description = "CVE-2021-44228 / CVE-2021-45046 canary"
    match {
      expr {
        expression = "evaluatePreconfiguredWaf('cve-canary')"
      }
    }
  }

  # Partner API (e-Kinerja with its x-api-key): limited per key, wherever the calls come from.
  rule {
    action      = "throttle"
    priority    = 2000
    description = "partner routes: per x-api-key"
    match {
      expr {
        expression = "request.path.matches('${var.partner_path_regex}')"
      }
    }
    rate_limit_options {
      conform_action      = "allow"
      exceed_action       = "deny(429)"
      enforce_on_key      = "HTTP_HEADER"
      enforce_on_key_name = "x-api-key"
      rate_limit_threshold {
        count        = var.rate_limits.partner_key_count
        interval_sec = var.rate_limits.partner_interval_sec
      }
    }
  }

  # Everyone else: per client IP. Generous, because a school's NAT and mobile carriers' CGNAT put
  # many teachers behind one address; above the throttle a client gets 429, far above it a ban.
  rule {
    action      = "rate_based_ban"
    priority    = 3000
    description = "per client IP: throttle, then ban"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    rate_limit_options {
      conform_action   = "allow"
      exceed_action    = "deny(429)"
      enforce_on_key   = "IP"
      ban_duration_sec = var.rate_limits.ban_duration_sec
      rate_limit_threshold {
        count        = var.rate_limits.ip_throttle_count
        interval_sec = var.rate_limits.interval_sec
      }
      ban_threshold {
        count        = var.rate_limits.ip_ban_count
        interval_sec = var.rate_limits.interval_sec
      }
    }
  }

  rule {
    action      = "allow"
    priority    = 2147483647
    description = "default"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
  }
}
