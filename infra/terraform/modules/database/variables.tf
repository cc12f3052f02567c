variable "name" {
  description = "Identifier of the instance and prefix of its subnet and parameter groups, e.g. tollgate-prod."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the DB subnet group (at least two AZs)."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "RDS needs subnets in at least two availability zones."
  }
}

variable "security_group_ids" {
  description = "Security groups of the instance (PostgreSQL from the tasks only)."
  type        = list(string)
  validation {
    condition     = length(var.security_group_ids) > 0
    error_message = "At least one security group is needed."
  }
}

variable "engine_version" {
  description = "PostgreSQL version: a major (\"15\", latest minor) or major.minor. Tollgate is tested on 15; usage_event partitioning needs 12+."
  type        = string
  default     = "15"
  validation {
    condition     = can(regex("^1[5-7](\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be PostgreSQL 15, 16 or 17, optionally with a minor version (e.g. 15.8)."
  }
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.t4g.medium (dev) or db.r7g.large (prod)."
  type        = string
  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.<family>.<size>, e.g. db.r7g.large."
  }
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GiB."
  type        = number
  default     = 50
  validation {
    condition     = var.allocated_storage_gb >= 20 && var.allocated_storage_gb <= 65536
    error_message = "allocated_storage_gb must be 20-65536."
  }
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling in GiB (usage_event grows with traffic until old partitions are dropped)."
  type        = number
  default     = 500
  validation {
    condition     = var.max_allocated_storage_gb >= var.allocated_storage_gb && var.max_allocated_storage_gb <= 65536
    error_message = "max_allocated_storage_gb must be at least allocated_storage_gb and at most 65536."
  }
}

variable "multi_az" {
  description = "Synchronous standby in a second AZ with automatic failover."
  type        = bool
}

variable "backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery."
  type        = number
  default     = 14
  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be 1-35 (0 would disable backups)."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (terraform destroy fails until this is turned off)."
  type        = bool
  default     = true
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "tollgate"
  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a lowercase identifier."
  }
}

variable "master_username" {
  description = "Master user name. Its password is generated and kept in Secrets Manager by RDS (never in Terraform state)."
  type        = string
  default     = "tollgate"
  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["postgres", "admin", "rdsadmin"], var.master_username)
    error_message = "master_username must be a lowercase identifier of at most 16 characters and not a reserved name."
  }
}

variable "kms_key_arn" {
  description = "KMS key encrypting storage, snapshots, Performance Insights and the master password secret."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "performance_insights_enabled" {
  description = "Turn on Performance Insights (query-level load)."
  type        = bool
  default     = true
}

variable "log_min_duration_ms" {
  description = "Log statements slower than this many milliseconds (-1 turns it off)."
  type        = number
  default     = 1000
  validation {
    condition     = var.log_min_duration_ms >= -1
    error_message = "log_min_duration_ms must be -1 or more."
  }
}
