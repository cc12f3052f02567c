package dev.tollgate.portal.web;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.http.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A submitted form: trimmed text values and the per-field errors found while reading them, so
 * that a page can show the form again with what the user typed and what is wrong with it.
 */
public final class Form {

    private final Map<String, String> values;
    private final Map<String, String> errors = new LinkedHashMap<>();

    private Form(Map<String, String> values) {
        this.values = values;
    }

    public static Form of(@Nullable Map<String, String> body) {
        Map<String, String> values = new HashMap<>();
        if (body != null) {
            body.forEach((k, v) -> {
                if (!CsrfTokens.FIELD.equals(k) && v != null) {
                    values.put(k, v.trim());
                }
            });
        }
        return new Form(values);
    }

    public static Form empty() {
        return new Form(new HashMap<>());
    }

    /** What the user typed (passwords excluded by the caller), for showing the form again. */
    public Map<String, String> values() {
        return values;
    }

    public Form set(String name, String value) {
        values.put(name, value);
        return this;
    }

    public Map<String, String> errors() {
        return errors;
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    public Form error(String field, String message) {
        errors.putIfAbsent(field, message);
        return this;
    }

    /** The first error as one sentence, for the notice above the form. */
    public String summary() {
        return errors.isEmpty() ? "" : errors.size() == 1
                ? "Please check " + label(errors.keySet().iterator().next()) + ": " + errors.values().iterator().next() + "."
                : "Please correct the " + errors.size() + " highlighted fields.";
    }

    public String text(String name) {
        return values.getOrDefault(name, "");
    }

    @Nullable
    public String optional(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public boolean checked(String name) {
        String v = values.get(name);
        return v != null && !v.isEmpty() && !v.equals("false");
    }

    @Nullable
    public Long positiveLong(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v.replace("_", "").replace(",", ""));
            if (n <= 0) {
                error(name, "must be a whole number above 0");
                return null;
            }
            return n;
        } catch (NumberFormatException e) {
            error(name, "must be a whole number above 0");
            return null;
        }
    }

    @Nullable
    public BigDecimal money(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        try {
            BigDecimal amount = new BigDecimal(v.replace("$", "").replace(",", "").trim());
            if (amount.signum() < 0 || amount.scale() > 6 || amount.compareTo(new BigDecimal("1000000000")) > 0) {
                error(name, "must be an amount in USD such as 25 or 12.50");
                return null;
            }
            return amount;
        } catch (NumberFormatException e) {
            error(name, "must be an amount in USD such as 25 or 12.50");
            return null;
        }
    }

    @Nullable
    public UUID uuid(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            error(name, "is not a valid choice");
            return null;
        }
    }

    /** A date ({@code yyyy-mm-dd}) as the start of that day in UTC. */
    @Nullable
    public Instant date(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            error(name, "must be a date such as 2026-12-31");
            return null;
        }
    }

    /** Runs bean validation on a command built from this form; violations become field errors. */
    public <T> T validate(Validator validator, T command) {
        for (ConstraintViolation<T> v : validator.validate(command)) {
            error(snake(v.getPropertyPath().toString()), v.getMessage());
        }
        return command;
    }

    /**
     * Takes the per-field messages of a service's failure: its {@code fields}, else its message
     * under the one {@code param} it names.
     */
    public Form errors(ApiException e) {
        ErrorBody.Detail detail = e.body().error();
        if (detail.fields() != null && !detail.fields().isEmpty()) {
            return errors(detail.fields());
        }
        return detail.param() == null ? this : error(detail.param(), e.getMessage());
    }

    /** Takes per-field messages ({@code null}: none). */
    public Form errors(@Nullable Map<String, String> fields) {
        if (fields != null) {
            fields.forEach(this::error);
        }
        return this;
    }

    static String snake(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('_').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String label(String field) {
        return field.replace('_', ' ').replace('.', ' ');
    }
}
