package dev.tollgate.platform.admin;

import dev.tollgate.platform.http.ErrorBody;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards the operator API ({@code /admin/**}): the request must carry
 * {@code Authorization: Bearer <tollgate.admin-token>}. Admin controllers are otherwise
 * anonymous to Micronaut Security; this filter is their only gate.
 */
@ServerFilter("/admin/**")
public class AdminTokenFilter {

    private final byte[] token;

    public AdminTokenFilter(@Value("${tollgate.admin-token:}") String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @RequestFilter
    @Nullable
    public MutableHttpResponse<ErrorBody> check(HttpRequest<?> request) {
        String header = request.getHeaders().getAuthorization().orElse("");
        byte[] presented = header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (token.length == 0 || !MessageDigest.isEqual(token, presented)) {
            return HttpResponse.unauthorized().body(ErrorBody.of(
                    "the operator API needs Authorization: Bearer <admin token>", "authentication_error", null, "invalid_admin_token"));
        }
        return null;
    }
}
