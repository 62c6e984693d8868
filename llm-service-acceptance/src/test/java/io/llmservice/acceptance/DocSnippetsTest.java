package io.llmservice.acceptance;

import io.llmservice.LlmService;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet of {@code README.md} and {@code docs/} compiles against llm-service-api alone
 * (plus slf4j-api, for snippets that log, and llm-service-micrometer with micrometer-core, for the
 * metrics snippets), so the docs cannot drift from the API. A block is
 * compiled according to the comment directly above it:
 *
 * <ul>
 *   <li>none — the block is a complete source file (imports included), compiled as it is;</li>
 *   <li>{@code <!-- snippet: body(LlmService llm, Logger log) -->} — the block is the body of a method
 *       with those parameters (none: {@code body()}) that may throw anything;</li>
 *   <li>{@code <!-- snippet: class -->} — the block declares top-level types.</li>
 * </ul>
 * (Above a README shell block, {@code <!-- snippet: not run: why -->} exempts it from
 * {@link ReadmeShellExamplesIT}.)
 *
 * <p>The last two get {@link #IMPORTS}, so a fragment may use the API's types, {@code Path},
 * {@code Duration}, {@code BigDecimal} and the like without import lines. Every fenced block must
 * name its language, so a Java block cannot hide as an unnamed one; a block that is not Java
 * ({@code yaml}, {@code bash}, {@code text} for output) is not compiled.
 */
class DocSnippetsTest {
    /** The imports a fragment ({@code body(...)}, {@code class}) gets. */
    static final List<String> IMPORTS = List.of("io.llmservice.*", "io.llmservice.config.*", "io.llmservice.spi.*",
            "java.io.*", "java.math.*", "java.nio.file.*", "java.time.*", "java.util.*", "org.slf4j.Logger");

    private static final Pattern BODY = Pattern.compile("body\\((.*)\\)");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

    @TempDir
    Path tmp;

    @Test
    void everyFencedBlock_namesItsLanguage() {
        assertThat(DocBlocks.all()).filteredOn(b -> b.language().isEmpty())
                .as("fenced blocks without a language (write ```text for output, ```java for Java, ...)")
                .isEmpty();
    }

    @Test
    void theDocsHaveJavaSnippets_andEveryMarkerIsKnown() {
        List<DocBlocks.Block> java = DocBlocks.all().stream().filter(b -> b.language().equals("java")).toList();
        assertThat(java).as("Java blocks found; none would make the compile test pass vacuously").hasSizeGreaterThan(5);
        assertThat(java).extracting(DocBlocks.Block::marker)
                .allMatch(m -> m.isEmpty() || m.equals("class") || BODY.matcher(m).matches(), "'', 'class' or 'body(...)'");
        assertThat(DocBlocks.all()).filteredOn(b -> !b.language().equals("java"))
                .extracting(DocBlocks.Block::marker)
                .allMatch(m -> m.isEmpty() || m.startsWith("not run: "), "'' or 'not run: why' above a shell block");
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlock_compilesAgainstTheApi() {
        return DocBlocks.all().stream().filter(b -> b.language().equals("java"))
                .map(b -> DynamicTest.dynamicTest(b.where(), () -> compile(b)));
    }

    private void compile(DocBlocks.Block block) throws IOException, URISyntaxException {
        String header = IMPORTS.stream().map(i -> "import " + i + ";\n").collect(Collectors.joining());
        String source;
        String className;
        int headerLines;
        Matcher body = BODY.matcher(block.marker());
        if (body.matches()) {
            header += "class Snippet {\n    void snippet(" + body.group(1) + ") throws Exception {\n";
            source = header + block.code() + "    }\n}\n";
            className = "Snippet";
        } else {
            source = (block.marker().equals("class") ? header : "") + block.code();
            Matcher type = PUBLIC_TYPE.matcher(block.code());
            className = type.find() ? type.group(1) : "Snippet";
            header = block.marker().equals("class") ? header : "";
        }
        headerLines = (int) header.lines().count();

        Path dir = Files.createDirectories(tmp.resolve(block.file().getFileName() + "-" + block.line()));
        Path file = Files.writeString(dir.resolve(className + ".java"), source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        // the metrics module and micrometer-core, for the snippets of docs/telemetry.md's metrics section
        String classPath = jarOf(LlmService.class) + File.pathSeparator + jarOf(Logger.class) + File.pathSeparator
                + jarOf(io.llmservice.micrometer.LlmServiceMetrics.class) + File.pathSeparator
                + jarOf(io.micrometer.core.instrument.MeterRegistry.class);
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean compiled = javac.getTask(null, files, diagnostics,
                    List.of("--release", "17", "-proc:none", "-classpath", classPath, "-d", dir.toString()), null,
                    files.getJavaFileObjects(file)).call();
            assertThat(compiled).as("the Java block at %s (%s) does not compile against the API:%n%s", block.where(),
                    block.marker().isEmpty() ? "a complete source file" : "snippet: " + block.marker(),
                    diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                            .map(d -> block.file() + ":" + (block.line() + d.getLineNumber() - headerLines) + ": "
                                    + d.getMessage(null))
                            .collect(Collectors.joining("\n"))).isTrue();
        }
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
