package io.llmservice.core.internal.routing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class HeuristicTokenEstimatorTest {
    private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private final HeuristicTokenEstimator estimator = new HeuristicTokenEstimator();

    @Test
    void estimate_emptyText_isZero() {
        assertThat(estimator.estimate("")).isZero();
        assertThat(estimator.estimate(" ")).isEqualTo(1);
    }

    @Test
    void estimate_englishProse_isWithin15PercentOfO200k() throws IOException {
        String text = Files.readString(Path.of("src/test/resources/tokens/english.txt"), StandardCharsets.UTF_8);
        assertThat(ratio(text)).isBetween(0.85, 1.15);
    }

    @Test
    void estimate_javaSource_isWithin20PercentOfO200k() throws IOException {
        String code;
        try (Stream<Path> files = Files.walk(Path.of("../llm-service-api/src/main/java"))) {
            code = files.filter(p -> p.toString().endsWith(".java")).sorted().map(HeuristicTokenEstimatorTest::read)
                    .collect(Collectors.joining("\n"));
        }
        assertThat(code.length()).isGreaterThan(50_000);
        assertThat(ratio(code)).isBetween(0.80, 1.20);
    }

    @Test
    void estimate_growsLinearly() {
        String word = "review the change and report problems ";
        assertThat(estimator.estimate(word.repeat(1000))).isEqualTo(estimator.estimate(word) * 1000);
    }

    private double ratio(String text) {
        long estimated = estimator.estimate(text);
        int actual = O200K.countTokensOrdinary(text);
        double r = (double) estimated / actual;
        System.out.printf("heuristic %d vs o200k %d tokens over %d chars: ratio %.3f%n", estimated, actual,
                text.length(), r);
        return r;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
