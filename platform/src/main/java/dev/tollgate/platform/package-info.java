/**
 * Shared contracts of Tollgate: identifiers, the API key format and its hashing, the usage
 * event every request produces, the price lookup billing provides, Redis key naming, secret
 * sealing, the embedded PostgreSQL and Redis of the zero-configuration mode, and the upstream
 * provider simulators. Every other module depends on this one and on nothing else of ours
 * (the portal and the app assembly excepted).
 */
package dev.tollgate.platform;
