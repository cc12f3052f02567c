output "smtp_host" {
  description = "SES SMTP endpoint of the region (TOLLGATE_MAIL_SMTP_HOST)."
  value       = "email-smtp.${data.aws_region.current.region}.amazonaws.com"
}

output "smtp_port" {
  description = "SES SMTP port with STARTTLS (TOLLGATE_MAIL_SMTP_PORT)."
  value       = 587
}

output "identity_arn" {
  description = "ARN of the SES domain identity."
  value       = aws_sesv2_email_identity.domain.arn
}

output "smtp_iam_user_name" {
  description = "IAM user whose access key becomes the SMTP credentials (see README: SMTP credentials)."
  value       = aws_iam_user.smtp.name
}

output "dkim_tokens" {
  description = "DKIM tokens: publish <token>._domainkey.<domain> CNAME <token>.dkim.amazonses.com when DNS is not in Route 53."
  value       = local.dkim
}
