/** The dashboard: this month's spend against the budget, traffic, errors, caching, top keys and projects. */
package dev.tollgate.portal.dashboard;
