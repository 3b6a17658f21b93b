variable "project_id" {
  type = string
}

variable "functions" {
  description = "generated/functions.json .functions"
  type        = any
}

variable "database_of" {
  description = "service => Firestore database id (modules/firestore .database_of)"
  type        = map(string)
}
