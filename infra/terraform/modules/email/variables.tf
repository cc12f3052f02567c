variable "name" {
  description = "Prefix of the IAM user that owns the SES SMTP credentials, e.g. tollgate-prod."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "domain" {
  description = "Domain Tollgate sends from (sign-up, budget alerts), verified in SES with DKIM."
  type        = string
  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain must be a lowercase DNS name such as example.com."
  }
}

variable "route53_zone_id" {
  description = "Route 53 zone of domain in which to create the DKIM, MAIL FROM and DMARC records; empty to create them elsewhere from the dkim_tokens output."
  type        = string
  default     = ""
}

variable "mail_from_subdomain" {
  description = "Subdomain used as the envelope sender (MAIL FROM), so SPF aligns with the domain."
  type        = string
  default     = "mail"
  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.mail_from_subdomain))
    error_message = "mail_from_subdomain must be a single DNS label."
  }
}

variable "dmarc_policy" {
  description = "DMARC policy published for the domain."
  type        = string
  default     = "quarantine"
  validation {
    condition     = contains(["none", "quarantine", "reject"], var.dmarc_policy)
    error_message = "dmarc_policy must be none, quarantine or reject."
  }
}
