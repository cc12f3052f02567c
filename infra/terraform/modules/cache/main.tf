locals {
  failover = var.cluster_mode_enabled || var.replicas_per_shard > 0
  endpoint = (var.cluster_mode_enabled
    ? aws_elasticache_replication_group.this.configuration_endpoint_address
  : aws_elasticache_replication_group.this.primary_endpoint_address)
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_elasticache_parameter_group" "this" {
  name        = "${var.name}-redis7"
  family      = "redis7"
  description = "Tollgate Redis settings"

  parameter {
    name  = "cluster-enabled"
    value = var.cluster_mode_enabled ? "yes" : "no"
  }
  parameter {
    name  = "maxmemory-policy"
    value = var.maxmemory_policy
  }
}

# Generated on every run but only written when auth_token_version changes; never stored in state.
ephemeral "random_password" "auth_token" {
  length  = 64
  special = false
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "Tollgate limits, caches and key revocations (${var.name})"
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.this.name
  subnet_group_name    = aws_elasticache_subnet_group.this.name
  security_group_ids   = var.security_group_ids

  cluster_mode            = var.cluster_mode_enabled ? "enabled" : "disabled"
  num_node_groups         = var.cluster_mode_enabled ? var.shard_count : null
  replicas_per_node_group = var.cluster_mode_enabled ? var.replicas_per_shard : null
  num_cache_clusters      = var.cluster_mode_enabled ? null : 1 + var.replicas_per_shard

  # Cluster mode always fails over within a shard; Multi-AZ needs a replica to fail over to.
  automatic_failover_enabled = local.failover
  multi_az_enabled           = var.replicas_per_shard > 0

  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  auth_token_wo              = ephemeral.random_password.auth_token.result
  auth_token_wo_version      = var.auth_token_version
  auth_token_update_strategy = "ROTATE"

  snapshot_retention_limit   = var.snapshot_retention_days
  snapshot_window            = "01:00-02:00"
  maintenance_window         = "sun:04:30-sun:05:30"
  auto_minor_version_upgrade = true
  apply_immediately          = false
}

# REDIS_URI for the application, token included: injected into the tasks by ECS from Secrets Manager.
resource "aws_secretsmanager_secret" "redis_uri" {
  name                    = "${var.name}/REDIS_URI"
  description             = "Tollgate REDIS_URI (rediss://:<auth token>@<endpoint>:6379)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "redis_uri" {
  secret_id                = aws_secretsmanager_secret.redis_uri.id
  secret_string_wo         = "rediss://:${ephemeral.random_password.auth_token.result}@${local.endpoint}:6379"
  secret_string_wo_version = var.auth_token_version
}
