package dev.tollgate.platform.tenant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Locale;

/**
 * What a key may call. {@code models}: glob patterns ({@code *} and {@code ?}), empty or null
 * for all; {@code endpoints}: any of {@code chat}, {@code embeddings}, {@code messages}, empty or
 * null for all.
 */
@Serdeable
public record KeyScopes(@Nullable List<String> models, @Nullable List<String> endpoints) {

    public static final KeyScopes ALL = new KeyScopes(List.of(), List.of());

    public boolean allowsEndpoint(String endpoint) {
        return endpoints == null || endpoints.isEmpty() || endpoints.contains(endpoint);
    }

    public boolean allowsModel(String model) {
        if (models == null || models.isEmpty()) {
            return true;
        }
        String m = model.toLowerCase(Locale.ROOT);
        for (String glob : models) {
            if (globMatches(glob.toLowerCase(Locale.ROOT), m)) {
                return true;
            }
        }
        return false;
    }

    static boolean globMatches(String glob, String text) {
        int g = 0, t = 0, star = -1, mark = 0;
        while (t < text.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = t;
            } else if (star != -1) {
                g = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
