package dev.tollgate.portal.usage;

import io.micronaut.core.annotation.Nullable;

import java.util.Locale;

/** How the usage explorer groups events. */
public enum GroupBy {
    DAY, MODEL, KEY, PROJECT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GroupBy parse(@Nullable String value) {
        if (value == null) {
            return DAY;
        }
        for (GroupBy g : values()) {
            if (g.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return g;
            }
        }
        return DAY;
    }
}
