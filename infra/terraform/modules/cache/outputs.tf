output "replication_group_id" {
  description = "ElastiCache replication group id."
  value       = aws_elasticache_replication_group.this.id
}

output "endpoint" {
  description = "Primary endpoint (cluster mode disabled) or configuration endpoint (cluster mode enabled)."
  value       = local.endpoint
}

output "port" {
  description = "Redis port (TLS)."
  value       = aws_elasticache_replication_group.this.port
}

output "redis_uri_secret_arn" {
  description = "ARN of the secret holding the full REDIS_URI, AUTH token included."
  value       = aws_secretsmanager_secret.redis_uri.arn
}
