package dev.tollgate.tenant.web;

import dev.tollgate.platform.http.RawHttp;
import dev.tollgate.tenant.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestSizeLimitTest extends ApiTestBase {

    /** A JSON body of exactly {@code bytes} bytes. */
    private static String bodyOf(int bytes) {
        return "{\"name\":\"" + "x".repeat(bytes - 11) + "\"}";
    }

    @Test
    void bodiesOverOneMebibyteAre413() {
        Tenant t = signup();
        RawHttp.Reply r = http.json("POST", "/api/v1/keys", bodyOf(1024 * 1024 + 10), t.auth());
        assertError(r, 413, "request_too_large");
        assertError(http.json("POST", "/api/v1/signup", bodyOf(2 * 1024 * 1024)), 413, "request_too_large");
        assertError(http.json("POST", "/admin/v1/provider-credentials", bodyOf(1024 * 1024 + 1),
                "Authorization", "Bearer " + dev.tollgate.platform.testing.TestServices.ADMIN_TOKEN), 413, "request_too_large");
        // exactly the limit passes the filter (and fails validation instead)
        assertError(http.json("POST", "/api/v1/keys", bodyOf(1024 * 1024), t.auth()), 400, "invalid_fields");
        assertError(http.json("POST", "/api/v1/keys", bodyOf(1000 * 1000), t.auth()), 400, "invalid_fields");
    }

    @Test
    void chunkedBodiesOverTheLimitAre413() throws Exception {
        Tenant t = signup();
        byte[] big = bodyOf(1024 * 1024 + 100).getBytes(StandardCharsets.UTF_8);
        // a publisher of unknown length makes the JDK client send Transfer-Encoding: chunked
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.getURI() + "/api/v1/keys"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + t.token())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("request_too_large"), response.body());

        byte[] small = "{\"name\":\"chunked\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequest ok = HttpRequest.newBuilder(URI.create(server.getURI() + "/api/v1/keys"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + t.token())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))).build();
        assertEquals(201, HttpClient.newHttpClient().send(ok, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
