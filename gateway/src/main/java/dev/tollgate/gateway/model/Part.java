package dev.tollgate.gateway.model;

import io.micronaut.core.annotation.Nullable;

/** One piece of message content: text or an image. */
public sealed interface Part permits Part.Text, Part.Image {

    /**
     * Plain text.
     *
     * @param cacheTtl a prompt-cache breakpoint after this text (Anthropic's {@code cache_control}):
     *                 {@code 5m} or {@code 1h}; null for none
     */
    record Text(String text, @Nullable String cacheTtl) implements Part {

        public Text(String text) {
            this(text, null);
        }
    }

    /**
     * An image, either by URL or inline as a {@code data:<media type>;base64,<data>} URL.
     *
     * @param detail OpenAI's {@code low}/{@code high}/{@code auto}, null when not given
     */
    record Image(String url, @Nullable String detail) implements Part {

        public boolean inline() {
            return url.startsWith("data:");
        }

        /** The media type of an inline image ({@code image/png} …), null for a remote URL. */
        @Nullable
        public String mediaType() {
            int semi = url.indexOf(';');
            return inline() && semi > 5 ? url.substring(5, semi) : null;
        }

        /** The base64 payload of an inline image, null for a remote URL. */
        @Nullable
        public String base64Data() {
            int comma = url.indexOf(',');
            return inline() && comma > 0 ? url.substring(comma + 1) : null;
        }
    }
}
