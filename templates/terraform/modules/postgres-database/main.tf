provider "aws" {
  default_tags {
    tags = {
      "paved:managed-by" = "paved"
      "paved:owner"      = var.owner
    }
  }
}

locals {
  database_name   = replace(var.name, "-", "_")
  master_password = var.master_password != null ? var.master_password : random_password.master.result
}

resource "random_password" "master" {
  length  = 32
  special = false
}

resource "aws_db_instance" "this" {
  identifier                = var.name
  engine                    = "postgres"
  engine_version            = var.engine_version
  instance_class            = var.instance_class
  allocated_storage         = var.allocated_storage_gb
  storage_encrypted         = true
  db_name                   = local.database_name
  username                  = "paved_admin"
  password                  = local.master_password
  multi_az                  = var.multi_az
  backup_retention_period   = var.backup_retention_days
  db_subnet_group_name      = var.db_subnet_group_name
  vpc_security_group_ids    = var.vpc_security_group_ids
  copy_tags_to_snapshot     = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final"
  tags                      = var.tags
}

resource "aws_secretsmanager_secret" "master" {
  name        = "paved/postgres/${var.name}/master"
  description = "Master credentials of the ${var.name} PostgreSQL database."
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "master" {
  secret_id = aws_secretsmanager_secret.master.id
  secret_string = jsonencode({
    username = aws_db_instance.this.username
    password = local.master_password
    host     = aws_db_instance.this.address
    port     = aws_db_instance.this.port
    dbname   = local.database_name
  })
}
