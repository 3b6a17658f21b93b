# Remote state in a versioned GCS bucket made once by hand (infra/README.md, "Deploy from zero").
terraform {
  backend "gcs" {
    bucket = "pmm-terraform-state"
    prefix = "prod"
  }
}
