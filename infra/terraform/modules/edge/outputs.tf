output "base_url" {
  description = "Public base URL of Tollgate (the OpenAI base URL is this plus /v1)."
  value       = "https://${var.domain_name != "" ? var.domain_name : aws_lb.this.dns_name}"
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (point domain_name here when DNS is managed elsewhere)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone id of the load balancer, for alias records."
  value       = aws_lb.this.zone_id
}

output "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimension LoadBalancer)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arns" {
  description = "Target group ARN by role: gateway, billing, portal."
  value       = { for role, tg in aws_lb_target_group.this : role => tg.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffix by role (CloudWatch dimension TargetGroup)."
  value       = { for role, tg in aws_lb_target_group.this : role => tg.arn_suffix }
}

output "gateway_request_count_label" {
  description = "resource_label for ALBRequestCountPerTarget scaling of the gateway service."
  value       = "${aws_lb.this.arn_suffix}/${aws_lb_target_group.this["gateway"].arn_suffix}"
}
