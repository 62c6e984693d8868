package io.llmservice.config;

import java.util.Objects;

/** A tool + catalogue model pair, e.g. one entry of an agent's {@code fallbacks}. */
public record RouteTarget(String tool, String model) {
    public RouteTarget {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
    }

    @Override
    public String toString() {
        return tool + "/" + model;
    }
}
