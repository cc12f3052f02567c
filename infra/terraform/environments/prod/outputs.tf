output "base_url" {
  description = "Public base URL (portal); the OpenAI-compatible base URL is this plus /v1."
  value       = module.edge.base_url
}

output "api_base_url" {
  description = "Base URL to give OpenAI / Anthropic SDKs."
  value       = "${module.edge.base_url}/v1"
}

output "alb_dns_name" {
  description = "Load balancer DNS name (CNAME or alias target when DNS is elsewhere)."
  value       = module.edge.alb_dns_name
}

output "database_endpoint" {
  description = "PostgreSQL host:port (private)."
  value       = "${module.database.address}:${module.database.port}"
}

output "database_master_secret_arn" {
  description = "RDS-managed secret with the database credentials."
  value       = module.database.master_user_secret_arn
}

output "redis_endpoint" {
  description = "Redis endpoint (private, TLS)."
  value       = "${module.cache.endpoint}:${module.cache.port}"
}

output "ecs_cluster_name" {
  description = "ECS cluster running the services."
  value       = module.service.cluster_name
}

output "ecs_service_names" {
  description = "ECS service names by role group."
  value       = module.service.service_names
}

output "task_definition_arns" {
  description = "Current task definition revisions (note them before a deploy: they are the rollback targets)."
  value       = module.service.task_definition_arns
}

output "secret_arns" {
  description = "Secret ARNs by environment variable (values are never in state)."
  value       = module.secrets.secret_arns
}

output "secrets_to_fill" {
  description = "Secrets an operator must put a value into before the services can start."
  value       = module.secrets.external_secret_names
}

output "smtp_iam_user_name" {
  description = "IAM user whose access key becomes the SES SMTP credentials."
  value       = module.email.smtp_iam_user_name
}

output "ses_dkim_tokens" {
  description = "DKIM tokens to publish when DNS is not in Route 53."
  value       = module.email.dkim_tokens
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms (subscribe a pager here)."
  value       = module.observability.alarm_topic_arn
}

output "alarm_names" {
  description = "CloudWatch alarms of this environment."
  value       = module.observability.alarm_names
}

output "prometheus_remote_write_url" {
  description = "Managed Prometheus remote-write URL, or empty."
  value       = module.observability.prometheus_remote_write_url
}
