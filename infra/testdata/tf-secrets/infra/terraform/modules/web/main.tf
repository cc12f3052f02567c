variable "name" {
  description = "Name."
  type        = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

output "bucket_arn" {
  description = "ARN."
  value       = aws_s3_bucket.this.arn
}

variable "db_password" {
  description = "A secret with a default."
  type        = string
  default     = "hunter2hunter2"
}

resource "aws_db_instance" "this" {
  identifier = var.name
  password   = var.db_password
}

resource "aws_secretsmanager_secret_version" "this" {
  secret_id     = "x"
  secret_string = var.db_password
}
