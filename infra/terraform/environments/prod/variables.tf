variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "name" {
  description = "Name prefix of every resource of this environment."
  type        = string
  default     = "tollgate-prod"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "image" {
  description = "Tollgate image with an explicit tag or digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/tollgate:0.1.0."
  type        = string
  validation {
    condition     = can(regex("^[^\\s@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$", var.image)) && !endswith(var.image, ":latest")
    error_message = "image must carry an explicit tag or digest, and not :latest."
  }
}

variable "vpc_cidr" {
  description = "IPv4 /16 of the VPC."
  type        = string
  default     = "10.41.0.0/16"
  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && endswith(var.vpc_cidr, "/16")
    error_message = "vpc_cidr must be an IPv4 /16."
  }
}

variable "certificate_arn" {
  description = "ACM certificate (in this region) for the HTTPS listener, covering domain_name."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "domain_name" {
  description = "Public host name, e.g. api.tollgate.example.com; empty to use the load balancer's DNS name."
  type        = string
  default     = ""
  validation {
    condition     = var.domain_name == "" || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be empty or a lowercase DNS name."
  }
}

variable "route53_zone_id" {
  description = "Route 53 zone for the alias and the SES records; empty when DNS is managed elsewhere."
  type        = string
  default     = ""
  validation {
    condition     = var.route53_zone_id == "" || can(regex("^Z[A-Z0-9]{5,32}$", var.route53_zone_id))
    error_message = "route53_zone_id must be empty or a hosted zone id (Z...)."
  }
}

variable "email_domain" {
  description = "Domain the sign-up and budget alert emails are sent from (SES identity)."
  type        = string
  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.email_domain))
    error_message = "email_domain must be a lowercase DNS name."
  }
}

variable "alarm_email" {
  description = "Address that receives the alarms; empty for none."
  type        = string
  default     = ""
  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an email address."
  }
}

variable "external_secrets" {
  description = "Secrets an operator fills after the first apply (see README). Provider keys listed here are given to the gateway; Stripe and SMTP to billing and the portal."
  type        = list(string)
  default = [
    "STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET",
    "TOLLGATE_MAIL_SMTP_USERNAME", "TOLLGATE_MAIL_SMTP_PASSWORD",
    "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
  ]
}

variable "master_key_version" {
  description = "Version of the generated master key. Changing it invalidates every API key and stored provider credential."
  type        = number
  default     = 1
  validation {
    condition     = var.master_key_version >= 1
    error_message = "master_key_version must be at least 1."
  }
}

variable "token_secrets_version" {
  description = "Bump to regenerate the JWT secret and the admin token."
  type        = number
  default     = 1
  validation {
    condition     = var.token_secrets_version >= 1
    error_message = "token_secrets_version must be at least 1."
  }
}

variable "redis_auth_token_version" {
  description = "Bump to rotate the Redis AUTH token (then redeploy)."
  type        = number
  default     = 1
  validation {
    condition     = var.redis_auth_token_version >= 1
    error_message = "redis_auth_token_version must be at least 1."
  }
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.r7g.large"
  validation {
    condition     = startswith(var.db_instance_class, "db.")
    error_message = "db_instance_class must be an RDS class (db.*)."
  }
}

variable "db_allocated_storage_gb" {
  description = "Initial database storage in GiB (autoscaled up to 10x)."
  type        = number
  default     = 100
  validation {
    condition     = var.db_allocated_storage_gb >= 20 && var.db_allocated_storage_gb <= 6500
    error_message = "db_allocated_storage_gb must be 20-6500."
  }
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.r7g.large"
  validation {
    condition     = startswith(var.redis_node_type, "cache.")
    error_message = "redis_node_type must be an ElastiCache node type (cache.*)."
  }
}

variable "redis_replicas" {
  description = "Redis replicas in other AZs (1 or more: automatic failover)."
  type        = number
  default     = 2
  validation {
    condition     = var.redis_replicas >= 1 && var.redis_replicas <= 5
    error_message = "redis_replicas must be 1-5 in production (failover needs a replica)."
  }
}

variable "gateway_cpu" {
  description = "CPU units of one gateway task (1024 = 1 vCPU)."
  type        = number
  default     = 1024
  validation {
    condition     = contains([512, 1024, 2048, 4096], var.gateway_cpu)
    error_message = "gateway_cpu must be 512, 1024, 2048 or 4096."
  }
}

variable "gateway_memory" {
  description = "Memory (MiB) of one gateway task."
  type        = number
  default     = 2048
  validation {
    condition     = var.gateway_memory >= 1024 && var.gateway_memory <= 30720
    error_message = "gateway_memory must be 1024-30720 MiB."
  }
}

variable "gateway_min_count" {
  description = "Fewest gateway tasks (one per AZ at least, so losing an AZ keeps serving)."
  type        = number
  default     = 3
  validation {
    condition     = var.gateway_min_count >= 2
    error_message = "gateway_min_count must be at least 2 in production."
  }
}

variable "gateway_max_count" {
  description = "Most gateway tasks the autoscaler may run."
  type        = number
  default     = 30
  validation {
    condition     = var.gateway_max_count >= var.gateway_min_count && var.gateway_max_count <= 200
    error_message = "gateway_max_count must be at least gateway_min_count and at most 200."
  }
}

variable "gateway_requests_per_target" {
  description = "ALB requests per gateway task per minute the autoscaler aims for: 60 x measured RPS per replica x headroom (docs/scaling.md)."
  type        = number
  default     = 3000
  validation {
    condition     = var.gateway_requests_per_target >= 60
    error_message = "gateway_requests_per_target must be at least 60 (one request per second)."
  }
}

variable "gateway_cpu_target_percent" {
  description = "Average CPU the autoscaler keeps the gateway tasks at."
  type        = number
  default     = 60
  validation {
    condition     = var.gateway_cpu_target_percent >= 10 && var.gateway_cpu_target_percent <= 90
    error_message = "gateway_cpu_target_percent must be 10-90."
  }
}

variable "worker_cpu" {
  description = "CPU units of the billing worker and of each portal task."
  type        = number
  default     = 1024
  validation {
    condition     = contains([256, 512, 1024, 2048], var.worker_cpu)
    error_message = "worker_cpu must be 256, 512, 1024 or 2048."
  }
}

variable "worker_memory" {
  description = "Memory (MiB) of the billing worker and of each portal task."
  type        = number
  default     = 2048
  validation {
    condition     = var.worker_memory >= 512 && var.worker_memory <= 16384
    error_message = "worker_memory must be 512-16384 MiB."
  }
}

variable "portal_count" {
  description = "Portal + tenant API tasks."
  type        = number
  default     = 2
  validation {
    condition     = var.portal_count >= 1 && var.portal_count <= 20
    error_message = "portal_count must be 1-20."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps application logs."
  type        = number
  default     = 90
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365."
  }
}

variable "p99_latency_threshold_seconds" {
  description = "P99 latency of /v1 above which the latency alarm fires."
  type        = number
  default     = 60
  validation {
    condition     = var.p99_latency_threshold_seconds > 0
    error_message = "p99_latency_threshold_seconds must be positive."
  }
}

variable "prometheus_workspace_enabled" {
  description = "Create a managed Prometheus workspace and send every metric there too."
  type        = bool
  default     = false
}
