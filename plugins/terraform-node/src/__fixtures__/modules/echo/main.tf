# A module for the real-binary test: only terraform_data, built in to
# Terraform and OpenTofu, so no provider is downloaded.
terraform {
  required_version = ">= 1.4.0"
}

variable "name" {
  type        = string
  description = "Any text; it lands in the state verbatim."
}

variable "settings" {
  type = object({
    size   = number
    labels = map(string)
  })
  description = "A structured value."
  default = {
    size   = 1
    labels = {}
  }
}

variable "token" {
  type        = string
  description = "A secret."
  sensitive   = true
  default     = null
}

variable "delay_seconds" {
  type        = number
  description = "How long applying takes (a local-exec sleep)."
  default     = 0
}

resource "terraform_data" "echo" {
  input = {
    name     = var.name
    settings = var.settings
  }
}

resource "terraform_data" "token" {
  input = var.token
}

resource "terraform_data" "slow" {
  input = var.delay_seconds

  provisioner "local-exec" {
    command = "sleep ${var.delay_seconds}"
  }
}

output "name" {
  description = "The name, read back from the state."
  value       = terraform_data.echo.output.name
}

output "size" {
  description = "The size, read back from the state."
  value       = terraform_data.echo.output.settings.size
}

output "token" {
  description = "The secret."
  value       = var.token
  sensitive   = true
}
