package io.llmservice.core.internal.adapter;

import io.llmservice.config.ModelUsageSpec;
import io.llmservice.config.OutputField;
import io.llmservice.config.ErrorSource;
import io.llmservice.config.ErrorSpec;
import io.llmservice.config.FailureKind;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.ScratchDir;
import io.llmservice.config.SettingsFile;
import io.llmservice.config.OutputSpec;
import io.llmservice.config.PromptMode;
import io.llmservice.config.SessionSpec;
import io.llmservice.config.ToolDefinition;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Test access to the built-in catalogue's tool definitions, read from the very file core ships,
 * so that a wrong {@code output:} path there fails the parser tests. Only the keys the adapter
 * tests need are read; {@code env} values are left unexpanded.
 */
final class BuiltinTools {
    static final String CATALOGUE = "/io/llmservice/core/builtin/catalogue.yaml";

    private BuiltinTools() {
    }

    static ToolDefinition tool(String name) {
        Map<String, Object> tools = map(catalogue().get("tools"));
        Map<String, Object> t = map(tools.get(name));
        if (t.isEmpty()) {
            throw new IllegalArgumentException("no tool " + name + " in " + CATALOGUE);
        }
        Map<String, String> env = new LinkedHashMap<>();
        map(t.get("env")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        Map<String, String> models = new LinkedHashMap<>();
        map(t.get("models")).forEach((k, v) -> models.put(k, String.valueOf(v)));
        Map<String, String> options = new LinkedHashMap<>();
        map(t.get("options")).forEach((k, v) -> options.put(k, String.valueOf(v)));
        List<String> args = new ArrayList<>(strings(t.get("args_prepend")));
        args.addAll(strings(t.get("args")));
        args.addAll(strings(t.get("args_append")));
        return ToolDefinition.builder().name(name).type((String) t.get("type")).binary((String) t.get("binary"))
                .args(args).options(options)
                .prompt(PromptMode.valueOf(((String) t.get("prompt")).toUpperCase(Locale.ROOT)))
                .env(env).models(models).output(output(name)).retriableWhen(strings(t.get("retriable_when")))
                .versionArgs(strings(t.get("version_args")))
                .leaveDescendants(Boolean.TRUE.equals(t.get("leave_descendants")))
                .errors(errors(map(t.get("errors")))).settingsFile(settingsFile(map(t.get("settings_file"))))
                .scratchDir(t.containsKey("scratch_dir") ? new ScratchDir(strings(map(t.get("scratch_dir")).get("env"))) : null)
                .session(session(t)).build();
    }

    private static java.util.Optional<SessionSpec> session(Map<String, Object> tool) {
        if (tool.get("session") == null) {
            return java.util.Optional.empty();
        }
        Map<String, Object> s = map(tool.get("session"));
        return java.util.Optional.of(SessionSpec.builder().ephemeral(strings(s.get("ephemeral")))
                .start(strings(s.get("start"))).resume(strings(s.get("resume"))).id(strings(s.get("id"))).build());
    }

    private static ErrorSpec errors(Map<String, Object> e) {
        ErrorSpec.Builder b = ErrorSpec.builder();
        if (e.containsKey("json_from")) {
            b.jsonFrom(strings(e.get("json_from")).stream()
                    .map(s -> ErrorSource.valueOf(s.toUpperCase(Locale.ROOT))).toList());
        }
        ((Map<?, ?>) e.getOrDefault("exit_codes", Map.of())).forEach((code, kind) -> b.exitCode(
                Integer.parseInt(String.valueOf(code)), FailureKind.valueOf(String.valueOf(kind).toUpperCase(Locale.ROOT))));
        ((Map<?, ?>) e.getOrDefault("exit_hints", Map.of())).forEach((code, hint) -> b.exitHint(
                Integer.parseInt(String.valueOf(code)), String.valueOf(hint)));
        return b.authWhen(strings(e.get("auth_when"))).authHint(e.containsKey("auth_hint")
                ? String.valueOf(e.get("auth_hint")) : "").build();
    }

    private static SettingsFile settingsFile(Map<String, Object> f) {
        if (f.isEmpty()) {
            return null;
        }
        try {
            return new SettingsFile(String.valueOf(f.get("env")), OutputParser.JSON.writeValueAsString(f.get("content")));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OutputSpec output(String toolName) {
        Map<String, Object> out = map(map(map(catalogue().get("tools")).get(toolName)).get("output"));
        OutputFormat format = OutputFormat.valueOf(((String) out.get("format")).toUpperCase(Locale.ROOT));
        boolean includesCache = Boolean.TRUE.equals(out.get("input_includes_cache_read"));
        Map<OutputField, List<String>> paths = new EnumMap<>(OutputField.class);
        out.forEach((key, value) -> {
            if (!key.equals("format") && !key.equals("input_includes_cache_read") && !key.equals("model_usage")) {
                paths.put(OutputField.valueOf(key.toUpperCase(Locale.ROOT)), strings(value));
            }
        });
        Optional<ModelUsageSpec> perModel = Optional.ofNullable(out.get("model_usage")).map(BuiltinTools::map)
                .map(m -> {
                    Map<OutputField, String> fields = new EnumMap<>(OutputField.class);
                    m.forEach((key, value) -> {
                        if (!key.equals("path")) {
                            fields.put(OutputField.valueOf(key.toUpperCase(Locale.ROOT)), String.valueOf(value));
                        }
                    });
                    return new ModelUsageSpec(String.valueOf(m.get("path")), fields);
                });
        return new OutputSpec(format, paths, includesCache, perModel);
    }

    static String fixture(String file) {
        try (InputStream in = BuiltinTools.class.getResourceAsStream("/real-cli/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> catalogue() {
        try (InputStream in = BuiltinTools.class.getResourceAsStream(CATALOGUE)) {
            return map(new Load(LoadSettings.builder().build()).loadFromInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static List<String> strings(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            l.forEach(x -> out.add(String.valueOf(x)));
            return out;
        }
        return List.of(String.valueOf(o));
    }
}
