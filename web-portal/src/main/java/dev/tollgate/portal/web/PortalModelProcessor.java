package dev.tollgate.portal.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.model.ViewModelProcessor;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/** Adds the request's CSRF token ({@code csrf}) to the model of every portal view. */
@Singleton
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
public class PortalModelProcessor implements ViewModelProcessor<Map<String, Object>> {

    private final CsrfTokens tokens;

    public PortalModelProcessor(CsrfTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(HttpRequest<?> request, ModelAndView<Map<String, Object>> modelAndView) {
        request.getAttribute(CsrfTokens.SEED_ATTRIBUTE, String.class).ifPresent(seed -> {
            Map<String, Object> model = new HashMap<>(modelAndView.getModel().orElse(Map.of()));
            model.put("csrf", tokens.token(seed));
            modelAndView.setModel(model);
        });
    }
}
