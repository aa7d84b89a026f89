# terraform_data only: built in to Terraform and OpenTofu, so the real binary
# runs this without downloading a provider.
variable "name" {
  type        = string
  description = "Required: plans fail without it."
}

variable "secret" {
  type        = string
  description = "A sensitive value."
  sensitive   = true
  default     = null
}

resource "terraform_data" "plain" {
  input = var.name
}

resource "terraform_data" "secret" {
  input = var.secret
}

output "name" {
  value = terraform_data.plain.output
}

output "secret" {
  value     = var.secret
  sensitive = true
}
