output "endpoint" {
  description = "Host name of the database."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the database."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the database created in the instance."
  value       = local.database_name
}

output "username" {
  description = "Master user name."
  value       = aws_db_instance.this.username
}

output "secret_arn" {
  description = "Secrets Manager secret holding the master credentials."
  value       = aws_secretsmanager_secret.master.arn
}

output "master_password" {
  description = "Master password."
  value       = local.master_password
  sensitive   = true
}
