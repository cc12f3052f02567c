package dev.tollgate.tenant.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Every list response: {@code {"data": [...]}}, the array present even when empty. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Serdeable
public record ListView<T>(List<T> data) {
}
