/**
 * The one error shape of every Tollgate HTTP API ({@link dev.tollgate.platform.http.ErrorBody},
 * OpenAI's) and the exception handling that renders every failure of the whole application in
 * it: {@link dev.tollgate.platform.http.ApiException}s thrown by our code, the framework's own
 * errors (malformed JSON, wrong types, missing bodies, validation, unknown routes, wrong methods,
 * media types, oversized bodies, security rejections) and any unexpected exception, which is
 * logged in full under a reference id and answered with a generic 500 that carries only that id.
 */
package dev.tollgate.platform.http;
