package dev.tollgate.gateway.guard;

import java.util.Locale;

/** Kinds of personal data and secrets the guard finds, with the placeholder that replaces them. */
public enum PiiCategory {
    SECRET("[SECRET]"),
    EMAIL("[EMAIL]"),
    IBAN("[IBAN]"),
    CARD("[CARD]"),
    NATIONAL_ID("[NATIONAL_ID]"),
    PHONE("[PHONE]");

    private final String placeholder;

    PiiCategory(String placeholder) {
        this.placeholder = placeholder;
    }

    public String placeholder() {
        return placeholder;
    }

    /** The name in API answers, e.g. {@code national_id}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
