package dev.tollgate.gateway.provider;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.List;

/**
 * One upstream provider target, {@code tollgate.providers.<name>.*}. A target named like a type
 * ({@code openai}, {@code anthropic}, {@code gemini}) gets that type's base URL and model list by
 * default; any other name needs {@code type}. Every target serves, besides what it lists, every
 * model its provider's price list has (see {@code priceProvider}).
 *
 * @param name          the target name (the map key), shown in {@code x-tollgate-provider}
 * @param type          wire format: {@code openai} (also any OpenAI-compatible server), {@code anthropic},
 *                      {@code gemini}, {@code azure}; default: the name when it is a type, else {@code openai}
 * @param baseUrl       e.g. {@code https://api.openai.com/v1}; Azure: {@code https://<resource>.openai.azure.com/openai}
 * @param apiKey        the provider key (use a {@code ${ENV}} placeholder); the {@code provider_credential}
 *                      table overrides it when it holds a row for this target
 * @param apiVersion    Azure's {@code api-version} (default {@code 2024-10-21}); Anthropic's
 *                      {@code anthropic-version} (default {@code 2023-06-01})
 * @param models        models this target serves and lists in {@code /v1/models}
 * @param modelPatterns glob patterns ({@code *}, {@code ?}) of further model names routed here
 * @param priceProvider the price table's provider whose models this target serves by default:
 *                      default the one the target's name finds ({@code gemini} → {@code google},
 *                      {@code groq}, {@code mistral} …), none for Azure (it serves deployments);
 *                      {@code none} turns it off
 * @param aliases       {@code alias=upstream-model} entries: callers name the alias, the upstream
 *                      receives the model (for Azure: the deployment name)
 * @param timeout       total time allowed for one upstream call, streaming included (default 300 s)
 */
@EachProperty("tollgate.providers")
public record ProviderConfiguration(@Parameter String name,
                                    @Nullable String type,
                                    @Nullable String baseUrl,
                                    @Nullable String apiKey,
                                    @Nullable String apiVersion,
                                    @Nullable List<String> models,
                                    @Nullable List<String> modelPatterns,
                                    @Nullable List<String> aliases,
                                    @Nullable String priceProvider,
                                    @Nullable Duration timeout) {

    @Override
    public String toString() {
        return "ProviderConfiguration[" + name + ", type=" + type + ", baseUrl=" + baseUrl + "]";
    }
}
