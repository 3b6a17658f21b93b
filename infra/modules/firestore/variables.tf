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
