variable "owner" {
  description = "Required: no default."
  type        = string
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({ owner = var.owner })
}
