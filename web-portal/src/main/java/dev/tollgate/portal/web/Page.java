package dev.tollgate.portal.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.ModelAndView;

import java.util.HashMap;
import java.util.Map;

/**
 * A page or fragment to render: a Thymeleaf view ({@code "keys"}, or {@code "keys :: table"} for
 * a fragment) with its model. {@code me} (the {@link Viewer}) and {@code nav} (the active menu
 * entry) are what the layout needs; {@code csrf} is added by {@link PortalModelProcessor}.
 */
public final class Page {

    private final String view;
    private final Map<String, Object> model = new HashMap<>();

    private Page(String view) {
        this.view = view;
    }

    /** A page of a signed-in user. */
    public static Page of(String view, Viewer viewer, String nav) {
        return new Page(view).with("me", viewer).with("nav", nav).with("fmt", viewer.fmt()).with("billing", viewer.billing());
    }

    /** A page of a visitor who is not signed in (login, sign-up). */
    public static Page anonymous(String view) {
        return new Page(view);
    }

    public Page with(String name, Object value) {
        model.put(name, value);
        return this;
    }

    public Page fragment(String fragment) {
        Page p = new Page(view.contains("::") ? view.substring(0, view.indexOf("::")).trim() + " :: " + fragment
                : view + " :: " + fragment);
        p.model.putAll(model);
        return p;
    }

    public ModelAndView<Map<String, Object>> modelAndView() {
        return new ModelAndView<>(view, model);
    }

    public MutableHttpResponse<ModelAndView<Map<String, Object>>> ok() {
        return status(HttpStatus.OK);
    }

    public MutableHttpResponse<ModelAndView<Map<String, Object>>> status(HttpStatus status) {
        return HttpResponse.<ModelAndView<Map<String, Object>>>status(status).body(modelAndView());
    }
}
