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

variable "hmac_member" {
  description = "the S3 API identity (owner of the HMAC keys): objectUser on the uploads bucket"
  type        = string
}
