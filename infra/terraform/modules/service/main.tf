data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  region = data.aws_region.current.region

  # Role switches of the one jar; a service runs the roles listed in its `roles`.
  role_flags = {
    gateway      = "TOLLGATE_GATEWAY_ENABLED"
    billing      = "TOLLGATE_BILLING_ENABLED"
    portal       = "TOLLGATE_PORTAL_ENABLED"
    "tenant-api" = "TOLLGATE_TENANT_API_ENABLED"
  }

  autoscaled = { for name, svc in var.services : name => svc if svc.autoscaling != null }
  fixed      = { for name, svc in var.services : name => svc if svc.autoscaling == null }

  # IAM wants the secret's ARN; ECS references may add :json-key:version-stage:version-id.
  secret_resource_arns = distinct([for ref in values(var.secret_arns) : join(":", slice(split(":", ref), 0, 7))])

  remote_write = var.prometheus_remote_write_url != ""

  app_containers = { for name, svc in var.services : name => {
    name      = "tollgate"
    image     = var.image
    essential = true
    portMappings = [{
      name          = "http"
      containerPort = var.app_port
      protocol      = "tcp"
    }]
    # The container check restarts a task, so it asks only "is the process alive"; the ALB's /health
    # (with the PostgreSQL and Redis indicators) decides whether it gets traffic.
    environment = [for k, v in merge(
      var.environment,
      { MICRONAUT_SERVER_PORT = tostring(var.app_port), HEALTHCHECK_PATH = "/health/liveness" },
      { for role, flag in local.role_flags : flag => tostring(contains(svc.roles, role)) },
    ) : { name = k, value = v }]
    secrets = [for env in svc.secrets : { name = env, valueFrom = var.secret_arns[env] }]
    healthCheck = {
      command     = ["CMD", "/opt/tollgate/healthcheck.sh"]
      interval    = 15
      timeout     = 5
      retries     = 3
      startPeriod = 120
    }
    stopTimeout = var.stop_timeout_seconds
    ulimits     = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = var.log_group_names[name]
        awslogs-region        = local.region
        awslogs-stream-prefix = "tollgate"
      }
    }
  } }

  # OpenTelemetry collector config per service: scrape /prometheus in the task, publish the
  # tollgate_* metrics to CloudWatch with the service's role label, optionally everything to AMP.
  sidecar_configs = { for name, svc in var.services : name => yamlencode({
    extensions = jsondecode(local.remote_write ? jsonencode({ sigv4auth = { region = local.region } }) : "{}")
    receivers = {
      prometheus = {
        config = {
          scrape_configs = [{
            job_name        = "tollgate"
            scrape_interval = "60s"
            metrics_path    = "/prometheus"
            static_configs  = [{ targets = ["127.0.0.1:${var.app_port}"], labels = { role = name } }]
          }]
        }
      }
    }
    exporters = merge(
      {
        awsemf = {
          region                  = local.region
          namespace               = var.metrics_namespace
          log_group_name          = var.metrics_log_group_name
          dimension_rollup_option = "NoDimensionRollup"
          metric_declarations     = [{ dimensions = [["role"]], metric_name_selectors = var.published_metrics }]
        }
      },
      jsondecode(local.remote_write ? jsonencode({
        prometheusremotewrite = { endpoint = var.prometheus_remote_write_url, auth = { authenticator = "sigv4auth" } }
      }) : "{}"),
    )
    service = {
      extensions = local.remote_write ? ["sigv4auth"] : []
      pipelines = {
        metrics = {
          receivers = ["prometheus"]
          exporters = local.remote_write ? ["awsemf", "prometheusremotewrite"] : ["awsemf"]
        }
      }
    }
  }) }

  sidecars = { for name, svc in var.services : name => {
    name        = "metrics"
    image       = var.metrics_sidecar_image
    essential   = false
    environment = [{ name = "AOT_CONFIG_CONTENT", value = local.sidecar_configs[name] }]
    dependsOn   = [{ containerName = "tollgate", condition = "START" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = var.log_group_names[name]
        awslogs-region        = local.region
        awslogs-stream-prefix = "metrics"
      }
    }
  } }
}

resource "aws_ecs_cluster" "this" {
  name = var.name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

# --- IAM: the execution role pulls the image and reads the secrets; the task role is the app's ---

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "ReadTollgateSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.secret_resource_arns
  }
  statement {
    sid       = "DecryptTollgateSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.secret_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

resource "aws_iam_role" "task" {
  name               = "${var.name}-ecs-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "PublishMetrics"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [var.metrics_log_group_arn, "${var.metrics_log_group_arn}:*"]
  }
  dynamic "statement" {
    for_each = var.prometheus_workspace_arn == "" ? [] : [var.prometheus_workspace_arn]
    content {
      sid       = "RemoteWritePrometheus"
      actions   = ["aps:RemoteWrite"]
      resources = [statement.value]
    }
  }
  dynamic "statement" {
    for_each = var.enable_execute_command ? [1] : []
    content {
      sid       = "ExecuteCommand"
      actions   = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "tollgate"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# --- one task definition per service, all from the same image --------------------------------

resource "aws_ecs_task_definition" "this" {
  for_each                 = var.services
  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }
  container_definitions = jsonencode(concat(
    [local.app_containers[each.key]],
    var.metrics_sidecar_enabled ? [local.sidecars[each.key]] : [],
  ))
}

# Rolling deploys: new tasks start (and the first one migrates) before old ones stop; a release
# whose tasks never get healthy is rolled back to the previous task definition by the breaker.
resource "aws_ecs_service" "fixed" {
  for_each                           = local.fixed
  name                               = each.key
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this[each.key].arn
  desired_count                      = each.value.desired_count
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = each.value.target_group_arn == null ? null : var.health_check_grace_period_seconds
  enable_execute_command             = var.enable_execute_command
  propagate_tags                     = "SERVICE"
  wait_for_steady_state              = var.wait_for_steady_state

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = false
  }
  dynamic "load_balancer" {
    for_each = each.value.target_group_arn == null ? [] : [each.value.target_group_arn]
    content {
      target_group_arn = load_balancer.value
      container_name   = "tollgate"
      container_port   = var.app_port
    }
  }
}

# Same as above, but the task count belongs to the autoscaler after creation.
resource "aws_ecs_service" "autoscaled" {
  for_each                           = local.autoscaled
  name                               = each.key
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this[each.key].arn
  desired_count                      = max(each.value.desired_count, each.value.autoscaling.min)
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  enable_execute_command             = var.enable_execute_command
  propagate_tags                     = "SERVICE"
  wait_for_steady_state              = var.wait_for_steady_state

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = false
  }
  load_balancer {
    target_group_arn = each.value.target_group_arn
    container_name   = "tollgate"
    container_port   = var.app_port
  }
  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "this" {
  for_each           = local.autoscaled
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.autoscaled[each.key].name}"
  min_capacity       = each.value.autoscaling.min
  max_capacity       = each.value.autoscaling.max
}

# Two target-tracking policies: the service scales out when either asks for more tasks, and in
# only when both allow it.
resource "aws_appautoscaling_policy" "cpu" {
  for_each           = local.autoscaled
  name               = "${var.name}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[each.key].service_namespace
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  target_tracking_scaling_policy_configuration {
    target_value       = each.value.autoscaling.cpu_target_percent
    scale_out_cooldown = 60
    scale_in_cooldown  = 300
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  for_each           = local.autoscaled
  name               = "${var.name}-${each.key}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[each.key].service_namespace
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  target_tracking_scaling_policy_configuration {
    target_value       = each.value.autoscaling.requests_per_target
    scale_out_cooldown = 60
    scale_in_cooldown  = 300
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = each.value.autoscaling.alb_resource_label
    }
  }
}
