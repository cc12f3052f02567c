/**
 * The one runnable assembly: every module in one process, each switchable by configuration
 * ({@code tollgate.<role>.enabled}). {@link dev.tollgate.app.Application} decides the runtime
 * mode before Micronaut starts: embedded (PostgreSQL, Redis and provider simulators started
 * in-process, state under {@code $TOLLGATE_HOME}) or external (services from configuration).
 */
package dev.tollgate.app;
