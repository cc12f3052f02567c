package dev.tollgate.tenant.web;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Every list response: {@code {"data": [...]}}. */
@Serdeable
public record ListView<T>(List<T> data) {
}
