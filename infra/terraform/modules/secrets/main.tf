# One customer-managed key for the environment's secrets, database storage and cache storage.
resource "aws_kms_key" "this" {
  description             = "Tollgate ${var.name}: secrets, database and cache encryption"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

# --- generated secrets: random values written through write-only arguments, never in state ---
# special = false keeps every value alphanumeric. 64 such characters are valid unpadded base64
# (48 bytes, about 380 bits of entropy), which is what TOLLGATE_MASTER_KEY needs (base64, 32+ bytes).

ephemeral "random_password" "master_key" {
  length  = 64
  special = false
}

ephemeral "random_password" "jwt_secret" {
  length  = 64
  special = false
}

ephemeral "random_password" "admin_token" {
  length  = 48
  special = false
}

resource "aws_secretsmanager_secret" "master_key" {
  name                    = "${var.name}/TOLLGATE_MASTER_KEY"
  description             = "Tollgate master key (base64): API-key pepper and provider-credential sealing key. Losing it loses every API key."
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.recovery_window_days
}

resource "aws_secretsmanager_secret_version" "master_key" {
  secret_id                = aws_secretsmanager_secret.master_key.id
  secret_string_wo         = ephemeral.random_password.master_key.result
  secret_string_wo_version = var.master_key_version
}

resource "aws_secretsmanager_secret" "jwt_secret" {
  name                    = "${var.name}/TOLLGATE_JWT_SECRET"
  description             = "Tollgate portal and management API JWT signing secret"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.recovery_window_days
}

resource "aws_secretsmanager_secret_version" "jwt_secret" {
  secret_id                = aws_secretsmanager_secret.jwt_secret.id
  secret_string_wo         = ephemeral.random_password.jwt_secret.result
  secret_string_wo_version = var.token_secrets_version
}

resource "aws_secretsmanager_secret" "admin_token" {
  name                    = "${var.name}/TOLLGATE_ADMIN_TOKEN"
  description             = "Tollgate operator admin API bearer token"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.recovery_window_days
}

resource "aws_secretsmanager_secret_version" "admin_token" {
  secret_id                = aws_secretsmanager_secret.admin_token.id
  secret_string_wo         = ephemeral.random_password.admin_token.result
  secret_string_wo_version = var.token_secrets_version
}

# --- external secrets: created empty, values put by an operator (see infra/terraform/README.md) ---

resource "aws_secretsmanager_secret" "external" {
  for_each                = toset(var.external_secrets)
  name                    = "${var.name}/${each.key}"
  description             = "Tollgate ${each.key} (value put by an operator, not by Terraform)"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.recovery_window_days
}
