variable "name" {
  description = "Replication group id and prefix of its subnet and parameter groups, e.g. tollgate-prod."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the cache subnet group."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Give subnets in at least two availability zones."
  }
}

variable "security_group_ids" {
  description = "Security groups of the cache nodes (Redis from the tasks only)."
  type        = list(string)
  validation {
    condition     = length(var.security_group_ids) > 0
    error_message = "At least one security group is needed."
  }
}

variable "engine_version" {
  description = "Redis OSS engine version. Tollgate's Lua limit scripts need 7.x."
  type        = string
  default     = "7.1"
  validation {
    condition     = can(regex("^7\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must be a Redis 7 version such as 7.1."
  }
}

variable "node_type" {
  description = "Cache node type, e.g. cache.t4g.small (dev) or cache.r7g.large (prod)."
  type        = string
  validation {
    condition     = can(regex("^cache\\.[a-z0-9]+\\.[a-z0-9]+$", var.node_type))
    error_message = "node_type must look like cache.<family>.<size>."
  }
}

variable "cluster_mode_enabled" {
  description = "Shard keys over several node groups (Redis Cluster). Tollgate's keys are hash-tagged for it; the application must then be given a cluster connection (see docs/scaling.md)."
  type        = bool
  default     = false
}

variable "shard_count" {
  description = "Node groups (shards) when cluster_mode_enabled; ignored otherwise."
  type        = number
  default     = 1
  validation {
    condition     = var.shard_count >= 1 && var.shard_count <= 500 && floor(var.shard_count) == var.shard_count
    error_message = "shard_count must be a whole number from 1 to 500."
  }
}

variable "replicas_per_shard" {
  description = "Read replicas per shard in other AZs. With 1 or more, a failed primary is replaced automatically."
  type        = number
  default     = 1
  validation {
    condition     = var.replicas_per_shard >= 0 && var.replicas_per_shard <= 5 && floor(var.replicas_per_shard) == var.replicas_per_shard
    error_message = "replicas_per_shard must be a whole number from 0 to 5."
  }
}

variable "maxmemory_policy" {
  description = "Eviction policy. Every Tollgate key has a TTL, so volatile-lru evicts cold cache entries first; noeviction makes writes fail instead (the limiter then follows its Redis-down mode)."
  type        = string
  default     = "volatile-lru"
  validation {
    condition     = contains(["volatile-lru", "volatile-lfu", "volatile-ttl", "noeviction"], var.maxmemory_policy)
    error_message = "maxmemory_policy must be volatile-lru, volatile-lfu, volatile-ttl or noeviction."
  }
}

variable "snapshot_retention_days" {
  description = "Days of daily snapshots (0 turns them off; limits and caches are rebuilt quickly, but revocation markers live here too)."
  type        = number
  default     = 3
  validation {
    condition     = var.snapshot_retention_days >= 0 && var.snapshot_retention_days <= 35
    error_message = "snapshot_retention_days must be 0-35."
  }
}

variable "kms_key_arn" {
  description = "KMS key encrypting data at rest, snapshots and the REDIS_URI secret."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "secret_recovery_window_days" {
  description = "Days a deleted REDIS_URI secret can still be restored (0 deletes at once)."
  type        = number
  default     = 7
  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or 7-30."
  }
}

variable "auth_token_version" {
  description = "Bump to rotate the Redis AUTH token: a new random token is set (ROTATE keeps the old one valid) and written into the REDIS_URI secret. Then redeploy the services."
  type        = number
  default     = 1
  validation {
    condition     = var.auth_token_version >= 1 && floor(var.auth_token_version) == var.auth_token_version
    error_message = "auth_token_version must be a whole number of at least 1."
  }
}
