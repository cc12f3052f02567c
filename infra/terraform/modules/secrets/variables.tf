variable "name" {
  description = "Prefix of the secret names (<name>/<ENV_VAR>) and of the KMS key alias, e.g. tollgate-prod."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "external_secrets" {
  description = "Secrets whose values come from outside (Stripe, SMTP credentials, provider keys). Terraform creates them empty; an operator puts the value with `aws secretsmanager put-secret-value` before the services start."
  type        = list(string)
  default     = []
  validation {
    condition = alltrue([for s in var.external_secrets : contains([
      "STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET",
      "TOLLGATE_MAIL_SMTP_USERNAME", "TOLLGATE_MAIL_SMTP_PASSWORD",
      "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
    ], s)])
    error_message = "external_secrets may only name STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET, TOLLGATE_MAIL_SMTP_USERNAME, TOLLGATE_MAIL_SMTP_PASSWORD, OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY."
  }
}

variable "master_key_version" {
  description = "Version of the generated TOLLGATE_MASTER_KEY. It derives the API-key pepper and the provider-credential sealing key: changing it makes every issued API key and every stored provider credential unreadable. Change only as part of a planned re-key."
  type        = number
  default     = 1
  validation {
    condition     = var.master_key_version >= 1 && floor(var.master_key_version) == var.master_key_version
    error_message = "master_key_version must be a whole number of at least 1."
  }
}

variable "token_secrets_version" {
  description = "Bump to generate a new TOLLGATE_JWT_SECRET and TOLLGATE_ADMIN_TOKEN (signs every portal user out; operators need the new admin token)."
  type        = number
  default     = 1
  validation {
    condition     = var.token_secrets_version >= 1 && floor(var.token_secrets_version) == var.token_secrets_version
    error_message = "token_secrets_version must be a whole number of at least 1."
  }
}

variable "recovery_window_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once; fine for dev only)."
  type        = number
  default     = 30
  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days must be 0 or 7-30."
  }
}

variable "kms_deletion_window_days" {
  description = "Days before a scheduled deletion of the KMS key takes effect (everything it encrypts is lost after that)."
  type        = number
  default     = 30
  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be 7-30."
  }
}
