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

module "web2" {
  source = "../../modules/web"
  name   = "${var.name}-2"
  owner  = "ops"
  colour = "blue"
}

module "gone" {
  source = "../../modules/does-not-exist"
}

output "website" {
  description = "Not an output of the module."
  value       = module.web2.website_endpoint
}
