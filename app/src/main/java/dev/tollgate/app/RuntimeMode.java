package dev.tollgate.app;

/** Where Tollgate's PostgreSQL and Redis come from. */
public enum RuntimeMode {
    /** Started in-process with data under {@code $TOLLGATE_HOME}: the zero-configuration default. */
    EMBEDDED,
    /** {@code DATASOURCES_DEFAULT_URL} and {@code REDIS_URI} given: nothing embedded is started. */
    EXTERNAL
}
