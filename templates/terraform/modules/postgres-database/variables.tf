variable "name" {
  type        = string
  description = "Name of the database instance: 3-40 lowercase letters, digits or dashes, starting with a letter."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,39}$", var.name))
    error_message = "The name must be 3-40 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "owner" {
  type        = string
  description = "The team that owns the database (a catalogue group name)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.owner))
    error_message = "The owner must be a catalogue group name: lowercase letters, digits and dashes."
  }
}

variable "engine_version" {
  type        = string
  description = "PostgreSQL major.minor version."
  default     = "16.4"

  validation {
    condition     = can(regex("^1[4-7][.][0-9]+$", var.engine_version))
    error_message = "The engine version must be a supported PostgreSQL release, 14.x to 17.x."
  }
}

variable "instance_class" {
  type        = string
  description = "RDS instance class."
  default     = "db.t4g.micro"

  validation {
    condition     = can(regex("^db[.][a-z0-9]+[.][a-z0-9]+$", var.instance_class))
    error_message = "The instance class must look like db.t4g.micro."
  }
}

variable "allocated_storage_gb" {
  type        = number
  description = "Storage in GiB."
  default     = 20
}

variable "multi_az" {
  type        = bool
  description = "Run a standby in a second availability zone."
  default     = false
}

variable "backup_retention_days" {
  type        = number
  description = "Days automated backups are kept."
  default     = 7
}

variable "db_subnet_group_name" {
  type        = string
  description = "DB subnet group the platform team provides per network."
  default     = "paved-default"
}

variable "vpc_security_group_ids" {
  type        = list(string)
  description = "Security groups allowed to reach the database."
  default     = []
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on every resource."
  default     = {}
}

variable "master_password" {
  type        = string
  description = "Master password; generated when not given. Never shown in plans or logs."
  sensitive   = true
  default     = null
}
