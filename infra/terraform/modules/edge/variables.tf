variable "name" {
  description = "Name of the load balancer and prefix of its target groups, e.g. tollgate-prod."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 characters of lowercase letters, digits and hyphens (target group names add -gateway and must stay within 32)."
  }
}

variable "vpc_id" {
  description = "VPC of the target groups."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets of the load balancer, in at least two AZs."
  type        = list(string)
  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "An ALB needs subnets in at least two availability zones."
  }
}

variable "security_group_ids" {
  description = "Security groups of the load balancer."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener (must cover domain_name)."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  validation {
    condition     = startswith(var.ssl_policy, "ELBSecurityPolicy-")
    error_message = "ssl_policy must be an ELBSecurityPolicy-* name."
  }
}

variable "app_port" {
  description = "Port the tasks listen on."
  type        = number
  default     = 8080
  validation {
    condition     = var.app_port >= 1024 && var.app_port <= 65535
    error_message = "app_port must be 1024-65535."
  }
}

variable "health_check_path" {
  description = "Path the target groups probe; it must answer 200 when the task can serve."
  type        = string
  default     = "/health"
  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

variable "idle_timeout_seconds" {
  description = "Seconds a connection may stay silent. Streamed completions can pause between chunks, and long non-streamed completions send nothing until done, so this is well above the default 60."
  type        = number
  default     = 300
  validation {
    condition     = var.idle_timeout_seconds >= 60 && var.idle_timeout_seconds <= 4000
    error_message = "idle_timeout_seconds must be 60-4000."
  }
}

variable "gateway_deregistration_delay_seconds" {
  description = "Seconds a gateway task keeps serving its open requests (streams) after it leaves the target group during a deploy or scale-in."
  type        = number
  default     = 120
  validation {
    condition     = var.gateway_deregistration_delay_seconds >= 0 && var.gateway_deregistration_delay_seconds <= 3600
    error_message = "gateway_deregistration_delay_seconds must be 0-3600."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer."
  type        = bool
  default     = true
}

variable "domain_name" {
  description = "Public host name of Tollgate, e.g. api.example.com; empty to use the ALB's DNS name."
  type        = string
  default     = ""
  validation {
    condition     = var.domain_name == "" || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be empty or a lowercase DNS name."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone in which to create domain_name as an alias of the ALB; empty to manage DNS elsewhere."
  type        = string
  default     = ""
  validation {
    condition     = var.route53_zone_id == "" || var.domain_name != ""
    error_message = "route53_zone_id needs domain_name."
  }
}
