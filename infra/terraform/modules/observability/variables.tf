variable "name" {
  description = "Prefix of log groups, alarms and the alarm topic, e.g. tollgate-prod."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "services" {
  description = "ECS services that get a log group (/tollgate/<name>/<service>)."
  type        = list(string)
  validation {
    condition     = length(var.services) > 0 && alltrue([for s in var.services : can(regex("^[a-z][a-z0-9-]*$", s))])
    error_message = "services must be a non-empty list of lowercase names."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps application logs."
  type        = number
  default     = 30
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic (confirm the subscription mail); empty for none."
  type        = string
  default     = ""
  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an email address."
  }
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the load balancer."
  type        = string
}

variable "gateway_target_group_arn_suffix" {
  description = "ARN suffix of the gateway target group (the alarms watch /v1/* traffic)."
  type        = string
}

variable "database_instance_id" {
  description = "RDS instance identifier, for the storage alarm."
  type        = string
}

variable "error_rate_threshold_percent" {
  description = "Alarm when more than this percentage of gateway responses are 5xx over two of three 5-minute periods."
  type        = number
  default     = 2
  validation {
    condition     = var.error_rate_threshold_percent > 0 && var.error_rate_threshold_percent <= 100
    error_message = "error_rate_threshold_percent must be in (0, 100]."
  }
}

variable "p99_latency_threshold_seconds" {
  description = "Alarm when the gateway's P99 target response time exceeds this. Upstream model time dominates it, so set it above the slowest model you route to."
  type        = number
  default     = 60
  validation {
    condition     = var.p99_latency_threshold_seconds > 0 && var.p99_latency_threshold_seconds <= 4000
    error_message = "p99_latency_threshold_seconds must be in (0, 4000]."
  }
}

variable "database_free_storage_threshold_gb" {
  description = "Alarm when the database has less free storage than this."
  type        = number
  default     = 10
  validation {
    condition     = var.database_free_storage_threshold_gb > 0
    error_message = "database_free_storage_threshold_gb must be positive."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace the metrics sidecar publishes the application's Prometheus metrics under."
  type        = string
  default     = "Tollgate"
  validation {
    condition     = can(regex("^[A-Za-z0-9/_.#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be a valid custom CloudWatch namespace (not AWS/...)."
  }
}

variable "spend_metric_name" {
  description = "Prometheus counter of priced spend in USD exposed by the billing role on /prometheus (published per minute by the metrics sidecar)."
  type        = string
  default     = "tollgate_billing_cost_usd_total"
  validation {
    condition     = can(regex("^[a-zA-Z_:][a-zA-Z0-9_:]*$", var.spend_metric_name))
    error_message = "spend_metric_name must be a Prometheus metric name."
  }
}

variable "spend_anomaly_band_width" {
  description = "Standard deviations of the anomaly-detection band around expected hourly spend; the alarm fires above it."
  type        = number
  default     = 3
  validation {
    condition     = var.spend_anomaly_band_width >= 1 && var.spend_anomaly_band_width <= 10
    error_message = "spend_anomaly_band_width must be 1-10."
  }
}

variable "prometheus_workspace_enabled" {
  description = "Also create an Amazon Managed Service for Prometheus workspace that the metrics sidecar remote-writes to."
  type        = bool
  default     = false
}
