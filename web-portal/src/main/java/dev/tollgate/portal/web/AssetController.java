package dev.tollgate.portal.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The portal's static files under {@code /assets/}: its stylesheet and script, and htmx and
 * Chart.js from their WebJars. A fixed list read once at start-up, so no request can name any
 * other classpath resource; answered with an ETag and a short public cache lifetime.
 */
@Controller("/assets")
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_ANONYMOUS)
public class AssetController {

    /** Version of the htmx WebJar on the classpath. */
    public static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js";
    /** Version of the Chart.js WebJar on the classpath. */
    public static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js";

    private static final MediaType JS = MediaType.of("text/javascript;charset=utf-8");
    private static final MediaType CSS = MediaType.of("text/css;charset=utf-8");

    private record Asset(byte[] bytes, MediaType type, String etag) {
    }

    private final Map<String, Asset> assets;

    public AssetController() {
        this.assets = Map.of(
                "css/portal.css", load("public/css/portal.css", CSS),
                "js/portal.js", load("public/js/portal.js", JS),
                "vendor/htmx.min.js", load(HTMX, JS),
                "vendor/chart.umd.min.js", load(CHART_JS, JS));
    }

    @Get("/{+path}")
    public HttpResponse<byte[]> asset(HttpRequest<?> request, String path) {
        Asset asset = assets.get(path);
        if (asset == null) {
            return HttpResponse.notFound();
        }
        if (request.getHeaders().get(HttpHeaders.IF_NONE_MATCH, String.class).filter(asset.etag()::equals).isPresent()) {
            return HttpResponse.<byte[]>status(HttpStatus.NOT_MODIFIED).header(HttpHeaders.ETAG, asset.etag());
        }
        return HttpResponse.ok(asset.bytes())
                .contentType(asset.type())
                .header(HttpHeaders.ETAG, asset.etag())
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300");
    }

    private static Asset load(String resource, MediaType type) {
        try (InputStream in = AssetController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("portal asset missing from the classpath: " + resource);
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8) + "\"";
            return new Asset(bytes, type, etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
