terraform {
  # Ephemeral resources and write-only arguments keep the Redis AUTH token out of plan and state.
  required_version = ">= 1.11.0"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # auth_token_wo on aws_elasticache_replication_group (hashicorp/terraform-provider-aws#49268)
      # and secret_string_wo on aws_secretsmanager_secret_version need a 6.x release that has them.
      version = ">= 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.7.1"
    }
  }
}
