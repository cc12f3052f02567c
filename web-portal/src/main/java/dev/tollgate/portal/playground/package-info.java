/**
 * The playground: the browser sends a chat message with one of the user's keys straight to the
 * gateway's {@code /v1/chat/completions}, streams the answer (SSE) and shows tokens and cost.
 */
package dev.tollgate.portal.playground;
