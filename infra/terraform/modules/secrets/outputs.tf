output "kms_key_arn" {
  description = "ARN of the environment's KMS key."
  value       = aws_kms_key.this.arn
}

output "secret_arns" {
  description = "Secret ARN by the environment variable it feeds (generated and external secrets)."
  value = merge(
    {
      TOLLGATE_MASTER_KEY  = aws_secretsmanager_secret.master_key.arn
      TOLLGATE_JWT_SECRET  = aws_secretsmanager_secret.jwt_secret.arn
      TOLLGATE_ADMIN_TOKEN = aws_secretsmanager_secret.admin_token.arn
    },
    { for env, secret in aws_secretsmanager_secret.external : env => secret.arn },
  )
}

output "external_secret_names" {
  description = "Names of the secrets an operator must fill before the services start."
  value       = [for secret in aws_secretsmanager_secret.external : secret.name]
}
