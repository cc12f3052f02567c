output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_names" {
  description = "ECS service name by service key (for aws ecs update-service / wait services-stable)."
  value       = merge({ for k, s in aws_ecs_service.fixed : k => s.name }, { for k, s in aws_ecs_service.autoscaled : k => s.name })
}

output "task_definition_arns" {
  description = "Task definition ARN (with revision) by service: the revision to roll back to is the one before."
  value       = { for k, td in aws_ecs_task_definition.this : k => td.arn }
}

output "task_role_arn" {
  description = "IAM role the application runs as."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "IAM role ECS uses to pull the image and read the secrets."
  value       = aws_iam_role.execution.arn
}
