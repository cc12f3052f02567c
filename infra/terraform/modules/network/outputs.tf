output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "availability_zones" {
  description = "Availability zones the subnets are in."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer, NAT gateways), one per AZ."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (tasks, database, cache), one per AZ."
  value       = aws_subnet.private[*].id
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.alb.id
}

output "service_security_group_id" {
  description = "Security group of the ECS tasks."
  value       = aws_security_group.service.id
}

output "database_security_group_id" {
  description = "Security group of the PostgreSQL instance."
  value       = aws_security_group.database.id
}

output "cache_security_group_id" {
  description = "Security group of the Redis replication group."
  value       = aws_security_group.cache.id
}
