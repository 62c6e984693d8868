package io.llmservice.core.internal.adapter;

import io.llmservice.ModelUsage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the model ids a tool reports back to catalogue ids through the tool's {@code models:}
 * (catalogue id → the name the tool uses): an id that is a catalogue id or a tool name maps to
 * that catalogue id, and so does one with a snapshot date appended ({@code claude-haiku-4-5-20251001}
 * or Vertex's {@code claude-haiku-4-5@20251001} → {@code claude-haiku-4-5}). Any other id is kept
 * as the tool printed it. Where several catalogue ids share a tool name, the first in
 * alphabetical order wins.
 *
 * <pre>{@code
 * ReportedModelIds ids = new ReportedModelIds(Map.of("claude-haiku-4-5", "haiku"));
 * ids.catalogueId("claude-haiku-4-5-20251001");   // "claude-haiku-4-5"
 * ids.catalogueId("some-new-model");              // "some-new-model"
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
final class ReportedModelIds {
    /** A dated snapshot: the base id, then {@code -YYYYMMDD} or {@code @YYYYMMDD}. */
    private static final Pattern DATED = Pattern.compile("(.+)[-@]\\d{8}");

    private final Map<String, String> byName = new LinkedHashMap<>();

    ReportedModelIds(Map<String, String> toolModels) {
        // Sorted, so that a name two catalogue ids share maps the same way on every run.
        Map<String, String> sorted = new TreeMap<>(toolModels);
        sorted.forEach((id, name) -> byName.putIfAbsent(id, id));
        sorted.forEach((id, name) -> byName.putIfAbsent(name, id));
    }

    /** The catalogue id of {@code reported}, or {@code reported} itself when the catalogue does not know it. */
    String catalogueId(String reported) {
        return mapped(reported).orElse(reported);
    }

    /** The catalogue id of {@code reported}, when the tool's {@code models:} maps it. */
    private Optional<String> mapped(String reported) {
        Objects.requireNonNull(reported, "reported");
        String id = byName.get(reported);
        if (id != null) {
            return Optional.of(id);
        }
        Matcher dated = DATED.matcher(reported);
        return dated.matches() ? Optional.ofNullable(byName.get(dated.group(1))) : Optional.empty();
    }

    /**
     * The breakdown with catalogue ids; the entry that served the requested model
     * ({@link #servedRequest}) is booked under {@code requested} even when its id is one the
     * catalogue does not know (an alias the CLI resolved to a newer model). Two entries that map to
     * one id are added up.
     */
    List<ModelUsage> catalogueIds(List<ModelUsage> reported, String requested) {
        Optional<ModelUsage> main = servedRequest(requested, reported);
        Map<String, List<ModelUsage>> byId = new LinkedHashMap<>();
        for (ModelUsage m : reported) {
            String id = main.isPresent() && main.get() == m ? requested : catalogueId(m.model());
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(m);
        }
        List<ModelUsage> mapped = new ArrayList<>();
        byId.forEach((id, shares) -> mapped.add(shares.size() == 1
                ? new ModelUsage(id, shares.get(0).usage(), shares.get(0).costUsd())
                : new ModelUsage(id, ModelUsage.totalUsage(shares), ModelUsage.totalCostUsd(shares))));
        return mapped;
    }

    /**
     * The entry of the model that served the requested one — the main thread, as opposed to
     * sub-agents: the entry that maps to {@code requested}; else the only entry the catalogue does
     * not know (claude's {@code sonnet} alias resolved to a newer id); else none.
     */
    Optional<ModelUsage> servedRequest(String requested, List<ModelUsage> reported) {
        for (ModelUsage m : reported) {
            if (mapped(m.model()).filter(requested::equals).isPresent()) {
                return Optional.of(m);
            }
        }
        List<ModelUsage> unknown = reported.stream().filter(m -> mapped(m.model()).isEmpty()).toList();
        return unknown.size() == 1 ? Optional.of(unknown.get(0)) : Optional.empty();
    }
}
