variable "name" {
  description = "Name prefix of every resource, e.g. tollgate-prod."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "cidr_block" {
  description = "IPv4 range of the VPC. Subnets are /20 slices of a /16: publics take the first az_count, privates start at the ninth."
  type        = string
  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && try(tonumber(split("/", var.cidr_block)[1]) == 16, false)
    error_message = "cidr_block must be an IPv4 /16, e.g. 10.40.0.0/16."
  }
}

variable "az_count" {
  description = "How many availability zones to spread the subnets over."
  type        = number
  default     = 3
  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number from 2 to 6 (the ALB and a multi-AZ database need at least 2)."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper, one AZ's NAT is a single point of failure) instead of one per AZ."
  type        = bool
  default     = false
}

variable "app_port" {
  description = "Port the Tollgate container listens on (MICRONAUT_SERVER_PORT)."
  type        = number
  default     = 8080
  validation {
    condition     = var.app_port >= 1024 && var.app_port <= 65535
    error_message = "app_port must be an unprivileged port, 1024-65535."
  }
}
