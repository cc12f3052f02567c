/**
 * Time: the shared {@link java.time.Clock} bean, so code that cuts time into calendar periods
 * can be tested at any instant.
 */
package dev.tollgate.platform.time;
