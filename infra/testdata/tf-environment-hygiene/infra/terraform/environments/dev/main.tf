variable "name" {
  type = string
}

variable "size" {
  description = "Documented but not validated."
  type        = number
  default     = 2
}

module "web" {
  source = "../../modules/web"
  name   = "${var.name}-${var.size}"
}
