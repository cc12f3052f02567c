/**
 * Guardrails per project ({@code project.settings}, managed through
 * {@link dev.tollgate.gateway.guard.ProjectSettingsController}): PII detection
 * ({@link dev.tollgate.gateway.guard.PiiScanner}: e-mail, phone, Luhn-checked card numbers, mod-97-checked
 * IBANs, national ids, API-key-like secrets) applied by {@link dev.tollgate.gateway.guard.PiiGuard} as
 * off, redact or block, and the opt-in {@link dev.tollgate.gateway.guard.RequestLog}, which stores
 * redacted text only.
 */
package dev.tollgate.gateway.guard;
