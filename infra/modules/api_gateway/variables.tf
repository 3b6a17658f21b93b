variable "project_id" {
  type = string
}

variable "region" {
  description = "an API Gateway region (not every region has it; see infra/README.md)"
  type        = string
}

variable "environment" {
  type = string
}

variable "openapi_template" {
  description = "path of generated/gateway-openapi.json"
  type        = string
}

variable "backends" {
  description = "service => URL of its HTTP function"
  type        = map(string)
}

variable "auth_audience" {
  description = "OAuth client ids the ID tokens are issued to"
  type        = list(string)
}

variable "gateway_service_account_email" {
  type = string
}
