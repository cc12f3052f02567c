package dev.tollgate.platform.usage.extract;

/**
 * A response body whose usage cannot be read with the provider's extractor: unknown provider
 * or flavour, a required field missing, a value of the wrong type. The message names the path
 * but never includes the body (which may hold prompt or completion text).
 */
public class UsageExtractionException extends RuntimeException {

    public UsageExtractionException(String message) {
        super(message, null, false, false);
    }
}
