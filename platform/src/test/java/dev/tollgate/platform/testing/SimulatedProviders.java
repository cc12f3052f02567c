package dev.tollgate.platform.testing;

import dev.tollgate.platform.simulator.UpstreamSimulator;

import java.util.HashMap;
import java.util.Map;

/** Tollgate's provider settings pointing OpenAI, Anthropic, Gemini and Azure OpenAI at a running simulator. */
public final class SimulatedProviders {

    private SimulatedProviders() {
    }

    /** The {@code tollgate.providers.*} properties for {@code simulator}, with placeholder credentials. */
    public static Map<String, String> properties(UpstreamSimulator simulator) {
        String base = simulator.baseUrl();
        Map<String, String> p = new HashMap<>();
        p.put("tollgate.providers.openai.base-url", base + "/openai/v1");
        p.put("tollgate.providers.openai.api-key", "sk-simulated");
        p.put("tollgate.providers.anthropic.base-url", base + "/anthropic/v1");
        p.put("tollgate.providers.anthropic.api-key", "sk-ant-simulated");
        p.put("tollgate.providers.gemini.base-url", base + "/gemini/v1beta");
        p.put("tollgate.providers.gemini.api-key", "gm-simulated");
        p.put("tollgate.providers.azure.base-url", base + "/azure/openai");
        p.put("tollgate.providers.azure.api-key", "az-simulated");
        p.put("tollgate.providers.azure.aliases", "azure-gpt=gpt-4o-mini");
        return p;
    }
}
