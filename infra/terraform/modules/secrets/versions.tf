terraform {
  # Ephemeral resources and write-only arguments keep generated secrets out of plan and state.
  required_version = ">= 1.11.0"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # secret_string_wo on aws_secretsmanager_secret_version.
      version = ">= 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.7.1"
    }
  }
}
