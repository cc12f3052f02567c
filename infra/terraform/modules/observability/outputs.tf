output "log_group_names" {
  description = "Log group name by service."
  value       = { for s, g in aws_cloudwatch_log_group.service : s => g.name }
}

output "metrics_log_group_name" {
  description = "Log group receiving the metrics sidecar's embedded-metric-format records."
  value       = aws_cloudwatch_log_group.metrics.name
}

output "metrics_log_group_arn" {
  description = "ARN of the metrics log group (the task role writes to it)."
  value       = aws_cloudwatch_log_group.metrics.arn
}

output "metrics_namespace" {
  description = "CloudWatch namespace of the application metrics."
  value       = var.metrics_namespace
}

output "spend_metric_name" {
  description = "Name of the spend metric the anomaly alarm watches (the sidecar must publish it)."
  value       = var.spend_metric_name
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "Names of the alarms."
  value = [
    aws_cloudwatch_metric_alarm.gateway_5xx_rate.alarm_name,
    aws_cloudwatch_metric_alarm.gateway_p99_latency.alarm_name,
    aws_cloudwatch_metric_alarm.spend_anomaly.alarm_name,
    aws_cloudwatch_metric_alarm.database_free_storage.alarm_name,
  ]
}

output "prometheus_remote_write_url" {
  description = "Remote-write URL of the managed Prometheus workspace, or empty."
  value       = var.prometheus_workspace_enabled ? "${aws_prometheus_workspace.this[0].prometheus_endpoint}api/v1/remote_write" : ""
}

output "prometheus_workspace_arn" {
  description = "ARN of the managed Prometheus workspace, or empty."
  value       = var.prometheus_workspace_enabled ? aws_prometheus_workspace.this[0].arn : ""
}
