variable "name" {
  description = "Name."
  type        = string
  default     = "web-dev"
  validation {
    condition     = length(var.name) > 2
    error_message = "Too short."
  }
}

module "web" {
  source = "../../modules/web"
  name   = var.name
}

output "bucket_arn" {
  description = "ARN."
  value       = module.web.bucket_arn
}
