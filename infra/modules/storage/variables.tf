variable "project_id" {
  type = string
}

variable "region" {
  type = string
}

variable "kms_key_id" {
  type = string
}

variable "cors_origins" {
  description = "web origins that upload with pre-signed URLs"
  type        = list(string)
}

variable "hmac_service_account_email" {
  type = string
}

variable "hmac_member" {
  type = string
}
