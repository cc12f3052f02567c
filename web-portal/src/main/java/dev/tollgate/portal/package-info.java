/**
 * The web portal: server-rendered pages (Thymeleaf through micronaut-views, htmx for partial
 * updates, Chart.js for charts) over the tenant API's and billing's services, called in-process.
 * Every page and fragment is scoped to the signed-in user's tenant and checked against their role.
 */
package dev.tollgate.portal;
