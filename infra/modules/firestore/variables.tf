variable "project_id" {
  type = string
}

variable "location" {
  description = "Firestore location (asia-southeast2 = Jakarta)"
  type        = string
}

variable "backup_retention" {
  type    = string
  default = "1209600s"
}

variable "fields" {
  description = "generated/firestore.json .fields"
  type        = any
}

variable "composite_indexes" {
  description = "generated/firestore.json .composite_indexes"
  type        = any
}

variable "databases" {
  description = "generated/firestore.json .databases: service => its database id"
  type        = map(string)
}

variable "layout" {
  description = "per_service (one database per service, IAM-scoped) or shared (the (default) database)"
  type        = string
  validation {
    condition     = contains(["per_service", "shared"], var.layout)
    error_message = "layout is per_service or shared"
  }
}
