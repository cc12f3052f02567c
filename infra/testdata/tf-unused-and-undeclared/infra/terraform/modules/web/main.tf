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

variable "region" {
  description = "Declared, never used."
  type        = string
  default     = "eu-west-1"
}

locals {
  never_used = "x"
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.typo.id
  versioning_configuration {
    status = var.versioning
  }
}
