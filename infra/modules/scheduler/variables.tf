variable "project_id" {
  type = string
}

variable "region" {
  type = string
}

variable "jobs" {
  description = "generated/messaging.json .scheduler_jobs"
  type        = any
}

variable "topic_ids" {
  description = "topic name => id"
  type        = map(string)
}

variable "paused" {
  description = "pause every job (maintenance, restore)"
  type        = bool
  default     = false
}
