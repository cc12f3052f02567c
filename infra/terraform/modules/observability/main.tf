resource "aws_cloudwatch_log_group" "service" {
  for_each          = toset(var.services)
  name              = "/tollgate/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
}

# Embedded-metric-format records written by the metrics sidecar; CloudWatch extracts the metrics.
resource "aws_cloudwatch_log_group" "metrics" {
  name              = "/tollgate/${var.name}/metrics"
  retention_in_days = 7
}

resource "aws_prometheus_workspace" "this" {
  count = var.prometheus_workspace_enabled ? 1 : 0
  alias = var.name
}

resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  alb_dimensions = {
    LoadBalancer = var.alb_arn_suffix
    TargetGroup  = var.gateway_target_group_arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "gateway_5xx_rate" {
  alarm_name          = "${var.name}-gateway-5xx-rate"
  alarm_description   = "More than ${var.error_rate_threshold_percent}% of /v1 responses are 5xx (Tollgate or upstream providers failing)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.error_rate_threshold_percent
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)"
    label       = "gateway 5xx %"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = local.alb_dimensions
      period      = 300
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = local.alb_dimensions
      period      = 300
      stat        = "Sum"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "gateway_p99_latency" {
  alarm_name          = "${var.name}-gateway-p99-latency"
  alarm_description   = "P99 response time of /v1 above ${var.p99_latency_threshold_seconds}s."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = local.alb_dimensions
  extended_statistic  = "p99"
  period              = 300
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.p99_latency_threshold_seconds
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# Spend per hour against CloudWatch's learned expectation (time of day, day of week): catches a
# leaked key or a runaway client long before a monthly budget would.
resource "aws_cloudwatch_metric_alarm" "spend_anomaly" {
  alarm_name          = "${var.name}-spend-anomaly"
  alarm_description   = "Priced spend in the last hour is above the expected band (${var.spend_anomaly_band_width} standard deviations)."
  comparison_operator = "GreaterThanUpperThreshold"
  threshold_metric_id = "expected"
  evaluation_periods  = 2
  datapoints_to_alarm = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "spend"
    return_data = true
    metric {
      namespace   = var.metrics_namespace
      metric_name = var.spend_metric_name
      dimensions  = { role = "billing" }
      period      = 3600
      stat        = "Sum"
    }
  }
  metric_query {
    id          = "expected"
    expression  = "ANOMALY_DETECTION_BAND(spend, ${var.spend_anomaly_band_width})"
    label       = "expected spend"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "database_free_storage" {
  alarm_name          = "${var.name}-database-free-storage"
  alarm_description   = "Less than ${var.database_free_storage_threshold_gb} GiB free: check usage_event partition retention (docs/scaling.md)."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = var.database_instance_id }
  statistic           = "Minimum"
  period              = 300
  comparison_operator = "LessThanThreshold"
  threshold           = var.database_free_storage_threshold_gb * 1024 * 1024 * 1024
  evaluation_periods  = 2
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
