package dev.tollgate.gateway.route;

import dev.tollgate.platform.http.ApiException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteConfigParserTest {

    static final JsonMapper JSON = JsonMapper.createDefault();
    static final Set<String> PROVIDERS = Set.of("openai", "anthropic");

    static JsonNode node(String json) throws Exception {
        return JSON.readValue(json.replace('\'', '"'), JsonNode.class);
    }

    @Test
    void fullConfigRoundTrips() throws Exception {
        RouteConfig c = RouteConfigParser.parse(node("""
                {'strategy':{'mode':'loadbalance'},'retry':{'attempts':2,'on_status_codes':[429,503]},
                 'targets':[{'provider':'openai','model':'gpt-4o-mini','weight':0.7,'timeout_ms':1500,
                             'override_params':{'temperature':0.2,'max_tokens':64,'stop':['x']}},
                            {'provider':'anthropic','model':'claude-3-5-haiku-latest','weight':0.3}],
                 'cache':{'mode':'semantic','ttl_seconds':60,'threshold':0.9}}"""), PROVIDERS);
        assertEquals(RouteConfig.Mode.LOADBALANCE, c.strategy().mode());
        assertEquals(2, c.retry().attempts());
        assertEquals(List.of(429, 503), c.retry().onStatusCodes());
        assertEquals(0.7, c.targets().get(0).weight());
        assertEquals(1500, c.targets().get(0).timeoutMs());
        assertEquals(3, c.targets().get(0).overrideParams().size());
        assertEquals(RouteConfig.CacheMode.SEMANTIC, c.cache().mode());
        assertEquals(0.9, c.cache().threshold());
        assertEquals(c, RouteConfigParser.parse(RouteConfigParser.write(c), PROVIDERS), "write then parse gives the same route");
    }

    @Test
    void defaults() throws Exception {
        RouteConfig c = RouteConfigParser.parse(node("{'targets':[{'provider':'openai'}],'cache':{'mode':'simple'}}"), PROVIDERS);
        assertEquals(RouteConfig.Mode.FALLBACK, c.strategy().mode());
        assertEquals(0, c.retry().attempts());
        assertEquals(RouteConfig.DEFAULT_RETRY_STATUSES, c.retry().onStatusCodes());
        assertNull(c.targets().get(0).model());
        assertEquals(1.0, c.targets().get(0).weight());
        assertEquals(3600, c.cache().ttlSeconds());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]|",
            "{}|targets",
            "{'targets':[]}|targets",
            "{'targets':{}}|targets",
            "{'targets':[{'provider':'openai'},{'provider':'openai','weight':0}]}|targets[1].weight",
            "{'targets':[{'provider':'openai'},{'provider':'openai','weight':'2'}]}|targets[1].weight",
            "{'targets':[{'provider':'nope'}]}|targets[0].provider",
            "{'targets':[{'model':'gpt-4o'}]}|targets[0].provider",
            "{'targets':[{'provider':'openai','model':''}]}|targets[0].model",
            "{'targets':[{'provider':'openai','timeout_ms':0}]}|targets[0].timeout_ms",
            "{'targets':[{'provider':'openai','timeout_ms':1.5}]}|targets[0].timeout_ms",
            "{'targets':[{'provider':'openai','override_params':{'temperature':3}}]}|targets[0].override_params.temperature",
            "{'targets':[{'provider':'openai','override_params':{'model':'x'}}]}|targets[0].override_params.model",
            "{'targets':[{'provider':'openai','override_params':[]}]}|targets[0].override_params",
            "{'targets':[{'provider':'openai','wieght':2}]}|targets[0].wieght",
            "{'targets':[{'provider':'openai'}],'strategy':{'mode':'roundrobin'}}|strategy.mode",
            "{'targets':[{'provider':'openai'}],'strategy':{}}|strategy.mode",
            "{'targets':[{'provider':'openai'}],'retry':{'attempts':11}}|retry.attempts",
            "{'targets':[{'provider':'openai'}],'retry':{'attempts':-1}}|retry.attempts",
            "{'targets':[{'provider':'openai'}],'retry':{'on_status_codes':[200]}}|retry.on_status_codes[0]",
            "{'targets':[{'provider':'openai'}],'retry':{'on_status_codes':429}}|retry.on_status_codes",
            "{'targets':[{'provider':'openai'}],'cache':{'mode':'fuzzy'}}|cache.mode",
            "{'targets':[{'provider':'openai'}],'cache':{'mode':'simple','ttl_seconds':0}}|cache.ttl_seconds",
            "{'targets':[{'provider':'openai'}],'cache':{'mode':'simple','threshold':0.9}}|cache.threshold",
            "{'targets':[{'provider':'openai'}],'cache':{'mode':'semantic','threshold':1.5}}|cache.threshold",
            "{'targets':[{'provider':'openai'}],'caching':{}}|caching",
    })
    void rejectsWithPreciseParam(String json, String param) throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> RouteConfigParser.parse(node(json), PROVIDERS));
        assertEquals(400, e.status().getCode());
        assertEquals(RouteConfigParser.CODE, e.body().error().code());
        assertEquals(param, e.body().error().param(), e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid route config: "), e.getMessage());
        if (param != null) {
            assertTrue(e.getMessage().contains(param), "the message names the field: " + e.getMessage());
        }
    }
}
