package dev.tollgate.portal.web;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chart.js data as JSON for a {@code data-chart} attribute (HTML-escaped by the template, read by
 * portal.js): no inline script, so the pages keep a strict Content-Security-Policy.
 */
@Singleton
public class Charts {

    private final JsonMapper json;

    public Charts(JsonMapper json) {
        this.json = json;
    }

    /** A stacked bar chart: one bar per label, one dataset per series. */
    public String stacked(List<String> labels, Map<String, Map<String, BigDecimal>> valuesByLabel, String unit) {
        Set<String> series = new LinkedHashSet<>();
        valuesByLabel.values().forEach(m -> series.addAll(m.keySet()));
        List<Map<String, Object>> datasets = new ArrayList<>();
        for (String s : series) {
            List<BigDecimal> data = new ArrayList<>();
            for (String label : labels) {
                data.add(valuesByLabel.getOrDefault(label, Map.of()).getOrDefault(s, BigDecimal.ZERO));
            }
            datasets.add(Map.of("label", s, "data", data));
        }
        return write(Map.of("type", "bar", "stacked", true, "unit", unit, "labels", labels, "datasets", datasets));
    }

    /** A plain bar chart of one series. */
    public String bars(List<String> labels, List<BigDecimal> values, String series, String unit) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("label", series);
        dataset.put("data", values);
        return write(Map.of("type", "bar", "stacked", false, "unit", unit, "labels", labels, "datasets", List.of(dataset)));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
