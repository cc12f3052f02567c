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
