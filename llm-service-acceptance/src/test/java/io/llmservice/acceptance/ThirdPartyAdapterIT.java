package io.llmservice.acceptance;

import io.llmservice.ConfigSource;
import io.llmservice.CostSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.StatsDimension;
import io.llmservice.StatsQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An adapter written outside this project: its source ({@code src/test/third-party}) is compiled
 * with only llm-service-api on the class path, registered through {@code META-INF/services} in its
 * own directory, and run through {@link LlmService}. A change to the API that breaks adapter
 * authors (a new component in {@code ToolResult}'s constructor, a renamed accessor, a new abstract
 * method) fails here.
 */
class ThirdPartyAdapterIT {
    private static final Path SOURCE = Path.of("src/test/third-party/com/example/acme/AcmeAdapterProvider.java");

    @TempDir
    Path dir;

    @Test
    void adapterCompiledAgainstTheApiAlone_isFoundByServiceLoader_andServesARequest() throws Exception {
        Path classes = compileAgainstApiOnly(SOURCE);
        Path services = classes.resolve("META-INF/services/io.llmservice.spi.ToolAdapterProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "com.example.acme.AcmeAdapterProvider\n", StandardCharsets.UTF_8);

        try (URLClassLoader plugins = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ThirdPartyAdapterIT.class.getClassLoader());
             LlmService llm = LlmService.builder()
                     .config(ConfigSource.text("third-party.yaml", """
                             tools:
                               acme:
                                 type: acme
                                 models: {claude-haiku-4-5: haiku}
                                 options: {greeting: "acme says "}
                             agents:
                               shouter: {tool: acme, model: claude-haiku-4-5}
                             policies:
                               telemetry: {store: memory, path: "%s", privacy: metadata}
                             """.formatted(dir.resolve("telemetry"))))
                     .classLoader(plugins).environment(Map.of()).build()) {

            LlmResponse r = llm.route(LlmRequest.builder("hello").agent("shouter").build()).execute();

            assertThat(r.text()).isEqualTo("acme says HELLO");
            assertThat(r.reportedModel()).contains("haiku-2026-01");
            assertThat(r.costUsd()).contains(new BigDecimal("0.0042"));
            assertThat(r.costSource()).isEqualTo(CostSource.TOOL_REPORTED);
            assertThat(r.usage().inputTokens()).hasValue(5);
            assertThat(r.warnings()).containsExactly("acme: usage is counted in characters");
            assertThat(llm.stats(StatsQuery.builder().groupBy(StatsDimension.TOOL).build()).rows()).singleElement()
                    .satisfies(row -> {
                        assertThat(row.group()).isEqualTo("acme");
                        assertThat(row.succeeded()).isEqualTo(1);
                        assertThat(row.costUsd()).isEqualByComparingTo("0.0042");
                    });
        }
    }

    /** Compiles {@code source} with nothing but the llm-service-api classes on the class path. */
    private Path compileAgainstApiOnly(Path source) throws IOException, URISyntaxException {
        Path api = Path.of(LlmService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(api.toString()).as("the API's classes, not a module that bundles more").contains("llm-service-api");
        Path out = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-Xlint:all", "-Werror",
                    "-classpath", api.toString(), "-d", out.toString());
            boolean compiled = javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(source)).call();
            assertThat(compiled).as("compiling %s against %s:%n%s", source, api, diagnostics.getDiagnostics().stream()
                    .map(ThirdPartyAdapterIT::describe).collect(Collectors.joining("\n"))).isTrue();
        }
        return out;
    }

    private static String describe(Diagnostic<? extends JavaFileObject> d) {
        return d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(null);
    }
}
