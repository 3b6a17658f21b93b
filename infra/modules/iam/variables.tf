variable "project_id" {
  type = string
}

variable "functions" {
  description = "generated/functions.json .functions"
  type        = any
}
