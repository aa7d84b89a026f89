variable "name" {
  type        = string
  description = "Name of the cache: 3-40 lowercase letters, digits or dashes, starting with a letter."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,39}$", var.name))
    error_message = "The name must be 3-40 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "owner" {
  type        = string
  description = "The team that owns the cache (a catalogue group name)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.owner))
    error_message = "The owner must be a catalogue group name: lowercase letters, digits and dashes."
  }
}

variable "node_type" {
  type        = string
  description = "ElastiCache node type."
  default     = "cache.t4g.micro"

  validation {
    condition     = can(regex("^cache[.][a-z0-9]+[.][a-z0-9]+$", var.node_type))
    error_message = "The node type must look like cache.t4g.micro."
  }
}

variable "engine_version" {
  type        = string
  description = "Redis engine version."
  default     = "7.1"
}

variable "replicas" {
  type        = number
  description = "Read replicas beside the primary; with one or more, failover is automatic."
  default     = 1
}

variable "subnet_group_name" {
  type        = string
  description = "Cache subnet group the platform team provides per network."
  default     = "paved-default"
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups allowed to reach the cache."
  default     = []
}

variable "maintenance" {
  type = object({
    window                  = string
    snapshot_retention_days = optional(number, 1)
  })
  description = "Weekly maintenance window (ddd:hh:mm-ddd:hh:mm, UTC) and days snapshots are kept."
  default = {
    window = "sun:03:00-sun:04:00"
  }
}

variable "parameters" {
  type        = map(string)
  description = "Redis parameters, for example maxmemory-policy."
  default = {
    "maxmemory-policy" = "volatile-lru"
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on every resource."
  default     = {}
}
