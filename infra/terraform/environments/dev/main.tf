# Tollgate dev: the production layout at small sizes. One NAT gateway, single-AZ database,
# Redis without replicas, deletion protection off, secrets deletable at once.

locals {
  # Every role reaches PostgreSQL and Redis and derives keys from the master key; the portal and
  # management API sign JWTs; the operator admin API checks the admin token.
  base_secrets = [
    "DATASOURCES_DEFAULT_USERNAME", "DATASOURCES_DEFAULT_PASSWORD", "REDIS_URI",
    "TOLLGATE_MASTER_KEY", "TOLLGATE_JWT_SECRET", "TOLLGATE_ADMIN_TOKEN",
  ]
  provider_secrets = [for s in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY"] : s if contains(var.external_secrets, s)]
  stripe_secrets   = [for s in ["STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET"] : s if contains(var.external_secrets, s)]
  smtp_secrets     = [for s in ["TOLLGATE_MAIL_SMTP_USERNAME", "TOLLGATE_MAIL_SMTP_PASSWORD"] : s if contains(var.external_secrets, s)]
}

module "network" {
  source             = "../../modules/network"
  name               = var.name
  cidr_block         = var.vpc_cidr
  az_count           = 3
  single_nat_gateway = true
}

module "secrets" {
  source                = "../../modules/secrets"
  name                  = var.name
  external_secrets      = var.external_secrets
  master_key_version    = var.master_key_version
  token_secrets_version = var.token_secrets_version
  recovery_window_days  = 0
}

module "database" {
  source                       = "../../modules/database"
  name                         = var.name
  subnet_ids                   = module.network.private_subnet_ids
  security_group_ids           = [module.network.database_security_group_id]
  instance_class               = var.db_instance_class
  allocated_storage_gb         = var.db_allocated_storage_gb
  max_allocated_storage_gb     = var.db_allocated_storage_gb * 10
  multi_az                     = false
  backup_retention_days        = 3
  deletion_protection          = false
  kms_key_arn                  = module.secrets.kms_key_arn
  performance_insights_enabled = false
}

module "cache" {
  source                      = "../../modules/cache"
  name                        = var.name
  subnet_ids                  = module.network.private_subnet_ids
  security_group_ids          = [module.network.cache_security_group_id]
  node_type                   = var.redis_node_type
  replicas_per_shard          = var.redis_replicas
  snapshot_retention_days     = 0
  kms_key_arn                 = module.secrets.kms_key_arn
  secret_recovery_window_days = 0
  auth_token_version          = var.redis_auth_token_version
}

module "edge" {
  source              = "../../modules/edge"
  name                = var.name
  vpc_id              = module.network.vpc_id
  public_subnet_ids   = module.network.public_subnet_ids
  security_group_ids  = [module.network.alb_security_group_id]
  certificate_arn     = var.certificate_arn
  domain_name         = var.domain_name
  route53_zone_id     = var.route53_zone_id
  deletion_protection = false
}

module "email" {
  source          = "../../modules/email"
  name            = var.name
  domain          = var.email_domain
  route53_zone_id = var.route53_zone_id
}

module "observability" {
  source                          = "../../modules/observability"
  name                            = var.name
  services                        = ["gateway", "billing", "portal"]
  log_retention_days              = var.log_retention_days
  alarm_email                     = var.alarm_email
  alb_arn_suffix                  = module.edge.alb_arn_suffix
  gateway_target_group_arn_suffix = module.edge.target_group_arn_suffixes["gateway"]
  database_instance_id            = module.database.instance_id
  p99_latency_threshold_seconds   = var.p99_latency_threshold_seconds
  prometheus_workspace_enabled    = var.prometheus_workspace_enabled
}

module "service" {
  source             = "../../modules/service"
  name               = var.name
  image              = var.image
  subnet_ids         = module.network.private_subnet_ids
  security_group_ids = [module.network.service_security_group_id]

  environment = {
    DATASOURCES_DEFAULT_URL = module.database.jdbc_url
    TOLLGATE_MAIL_SMTP_HOST = module.email.smtp_host
    TOLLGATE_MAIL_SMTP_PORT = tostring(module.email.smtp_port)
  }
  secret_arns = merge(module.secrets.secret_arns, {
    DATASOURCES_DEFAULT_USERNAME = "${module.database.master_user_secret_arn}:username::"
    DATASOURCES_DEFAULT_PASSWORD = "${module.database.master_user_secret_arn}:password::"
    REDIS_URI                    = module.cache.redis_uri_secret_arn
  })
  secret_kms_key_arn = module.secrets.kms_key_arn

  log_group_names             = module.observability.log_group_names
  metrics_namespace           = module.observability.metrics_namespace
  metrics_log_group_name      = module.observability.metrics_log_group_name
  metrics_log_group_arn       = module.observability.metrics_log_group_arn
  prometheus_remote_write_url = module.observability.prometheus_remote_write_url
  prometheus_workspace_arn    = module.observability.prometheus_workspace_arn
  enable_execute_command      = true

  services = {
    gateway = {
      roles            = ["gateway"]
      cpu              = var.gateway_cpu
      memory           = var.gateway_memory
      desired_count    = var.gateway_min_count
      target_group_arn = module.edge.target_group_arns["gateway"]
      secrets          = concat(local.base_secrets, local.provider_secrets)
      autoscaling = {
        min                 = var.gateway_min_count
        max                 = var.gateway_max_count
        cpu_target_percent  = var.gateway_cpu_target_percent
        requests_per_target = var.gateway_requests_per_target
        alb_resource_label  = module.edge.gateway_request_count_label
      }
    }
    # One billing worker: it serves Stripe webhooks and runs the pricing, rollup, budget and
    # Stripe outbox jobs (which coordinate through PostgreSQL, so a second one is safe but idle).
    billing = {
      roles            = ["billing"]
      cpu              = var.worker_cpu
      memory           = var.worker_memory
      desired_count    = 1
      target_group_arn = module.edge.target_group_arns["billing"]
      secrets          = concat(local.base_secrets, local.stripe_secrets, local.smtp_secrets)
    }
    portal = {
      roles            = ["portal", "tenant-api"]
      cpu              = var.worker_cpu
      memory           = var.worker_memory
      desired_count    = var.portal_count
      target_group_arn = module.edge.target_group_arns["portal"]
      secrets          = concat(local.base_secrets, local.stripe_secrets, local.smtp_secrets)
    }
  }
}
