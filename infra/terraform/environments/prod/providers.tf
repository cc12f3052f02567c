provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project     = "tollgate"
      Environment = var.name
      ManagedBy   = "terraform"
    }
  }
}
