variable "name" {
  type        = string
  description = "Bucket name, globally unique: 3-63 lowercase letters, digits or dashes."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "The bucket name must be 3-63 lowercase letters, digits or dashes, starting and ending with a letter or digit."
  }
}

variable "owner" {
  type        = string
  description = "The team that owns the bucket (a catalogue group name)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.owner))
    error_message = "The owner must be a catalogue group name: lowercase letters, digits and dashes."
  }
}

variable "versioning" {
  type        = bool
  description = "Keep previous versions of objects."
  default     = true
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days previous object versions are kept."
  default     = 30
}

variable "cors_allowed_origins" {
  type        = list(string)
  description = "Origins browsers may read the bucket from; none by default."
  default     = []
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on every resource."
  default     = {}
}
