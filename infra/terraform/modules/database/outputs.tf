output "instance_id" {
  description = "RDS instance identifier (CloudWatch dimension DBInstanceIdentifier)."
  value       = aws_db_instance.this.identifier
}

output "address" {
  description = "Host name of the instance (follows the primary on failover)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the application database."
  value       = aws_db_instance.this.db_name
}

output "jdbc_url" {
  description = "DATASOURCES_DEFAULT_URL for the application (TLS required by the parameter group)."
  value       = "jdbc:postgresql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${aws_db_instance.this.db_name}?sslmode=require"
}

output "master_user_secret_arn" {
  description = "ARN of the RDS-managed secret holding the master user's username and password (JSON keys username, password)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}
