variable "name" {
  description = "Name of the ECS cluster and prefix of task families and IAM roles, e.g. tollgate-prod."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "image" {
  description = "The one Tollgate image every service runs, pinned by tag or digest (e.g. <account>.dkr.ecr.<region>.amazonaws.com/tollgate:1.4.0)."
  type        = string
  validation {
    condition     = can(regex("^[^\\s@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$", var.image)) && !endswith(var.image, ":latest")
    error_message = "image must carry an explicit tag or digest, and not :latest (a rollback must be able to name the previous image)."
  }
}

variable "services" {
  description = <<-EOT
    ECS services by name. roles: the Tollgate roles switched on in that service (gateway, billing, portal,
    tenant-api); cpu/memory: Fargate task size; desired_count: tasks (the start value when autoscaled);
    target_group_arn: ALB target group, if it serves HTTP traffic; secrets: environment variables injected
    from secret_arns; autoscaling: min/max tasks with a CPU target (percent) and an ALB request-count target
    (requests per task per minute) on alb_resource_label.
  EOT
  type = map(object({
    roles            = list(string)
    cpu              = number
    memory           = number
    desired_count    = number
    target_group_arn = optional(string)
    secrets          = list(string)
    autoscaling = optional(object({
      min                 = number
      max                 = number
      cpu_target_percent  = number
      requests_per_target = number
      alb_resource_label  = string
    }))
  }))
  validation {
    condition     = alltrue([for s in values(var.services) : length(s.roles) > 0 && alltrue([for r in s.roles : contains(["gateway", "billing", "portal", "tenant-api"], r)])])
    error_message = "Each service needs roles, each one of gateway, billing, portal, tenant-api."
  }
  validation {
    condition     = alltrue([for s in values(var.services) : contains([256, 512, 1024, 2048, 4096, 8192, 16384], s.cpu) && s.memory >= 2 * s.cpu && s.memory <= 8 * s.cpu])
    error_message = "cpu must be a Fargate size (256-16384 units) and memory 2-8 MiB per CPU unit."
  }
  validation {
    condition     = alltrue([for s in values(var.services) : s.desired_count >= 0 && s.desired_count <= 1000])
    error_message = "desired_count must be 0-1000."
  }
  validation {
    condition = alltrue([for s in values(var.services) : s.autoscaling == null ? true : (
      s.autoscaling.min >= 1 && s.autoscaling.min <= s.autoscaling.max &&
      s.autoscaling.cpu_target_percent >= 10 && s.autoscaling.cpu_target_percent <= 90 &&
      s.autoscaling.requests_per_target > 0 && s.target_group_arn != null
    )])
    error_message = "autoscaling needs 1 <= min <= max, a CPU target of 10-90 %, a positive request target and a target group."
  }
  validation {
    condition     = alltrue([for s in values(var.services) : alltrue([for e in s.secrets : contains(keys(var.secret_arns), e)])])
    error_message = "Every name in a service's secrets must be a key of secret_arns."
  }
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Spread the tasks over at least two availability zones."
  }
}

variable "security_group_ids" {
  description = "Security groups of the tasks."
  type        = list(string)
}

variable "app_port" {
  description = "Port the application listens on (MICRONAUT_SERVER_PORT)."
  type        = number
  default     = 8080
  validation {
    condition     = var.app_port >= 1024 && var.app_port <= 65535
    error_message = "app_port must be 1024-65535."
  }
}

variable "environment" {
  description = "Plain (non-secret) environment variables for every service, e.g. DATASOURCES_DEFAULT_URL."
  type        = map(string)
  validation {
    condition     = alltrue([for k in keys(var.environment) : can(regex("^[A-Z][A-Z0-9_]*$", k))])
    error_message = "Environment variable names must be upper case."
  }
}

variable "secret_arns" {
  description = "Secrets Manager reference by environment variable: a secret ARN, or ARN:json-key:: for one key of a JSON secret."
  type        = map(string)
  validation {
    condition     = alltrue([for v in values(var.secret_arns) : can(regex("^arn:aws[a-z-]*:secretsmanager:", v))])
    error_message = "secret_arns values must be Secrets Manager ARNs."
  }
}

variable "secret_kms_key_arn" {
  description = "KMS key the secrets are encrypted with (the task execution role may decrypt with it)."
  type        = string
}

variable "log_group_names" {
  description = "CloudWatch log group by service name."
  type        = map(string)
}

variable "metrics_sidecar_enabled" {
  description = "Run an AWS Distro for OpenTelemetry sidecar that scrapes /prometheus and publishes the metrics to CloudWatch (needed for the spend-anomaly alarm)."
  type        = bool
  default     = true
}

variable "metrics_sidecar_image" {
  description = "Image of the metrics sidecar."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0"
}

variable "metrics_namespace" {
  description = "CloudWatch namespace for the scraped metrics."
  type        = string
}

variable "metrics_log_group_name" {
  description = "Log group for the sidecar's embedded-metric-format records."
  type        = string
}

variable "metrics_log_group_arn" {
  description = "ARN of metrics_log_group_name."
  type        = string
}

variable "published_metrics" {
  description = "Regular expressions of Prometheus metric names published to CloudWatch (each is a billed custom metric per role)."
  type        = list(string)
  default     = ["^tollgate_.*"]
}

variable "prometheus_remote_write_url" {
  description = "Managed Prometheus remote-write URL the sidecar also sends every metric to; empty for none."
  type        = string
  default     = ""
}

variable "prometheus_workspace_arn" {
  description = "ARN of the managed Prometheus workspace (the task role may remote-write to it); empty for none."
  type        = string
  default     = ""
}

variable "cpu_architecture" {
  description = "CPU architecture of the tasks; the image must be built for it (docker buildx --platform)."
  type        = string
  default     = "X86_64"
  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds the ALB health check is ignored after a task starts: JVM start plus Flyway migrations on the first task of a release."
  type        = number
  default     = 180
  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 2147483647
    error_message = "health_check_grace_period_seconds must not be negative."
  }
}

variable "stop_timeout_seconds" {
  description = "Seconds between SIGTERM and SIGKILL: time to finish open streams and flush the usage journal."
  type        = number
  default     = 120
  validation {
    condition     = var.stop_timeout_seconds >= 2 && var.stop_timeout_seconds <= 120
    error_message = "stop_timeout_seconds must be 2-120 (the Fargate maximum)."
  }
}

variable "wait_for_steady_state" {
  description = "Make terraform apply wait until every service's rollout has finished (a failed rollout then fails the apply)."
  type        = bool
  default     = true
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into running tasks (debugging)."
  type        = bool
  default     = false
}
