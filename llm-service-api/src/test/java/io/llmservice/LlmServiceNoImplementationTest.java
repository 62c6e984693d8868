package io.llmservice;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API module alone: no implementation on the class path. */
class LlmServiceNoImplementationTest {

    @Test
    void build_withNoImplementation_saysWhatIsMissing() {
        assertThatThrownBy(() -> LlmService.builder().config(Path.of("llm-service.yaml")).build())
                .isInstanceOfSatisfying(LlmServiceException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_MISSING))
                .hasMessageContaining("llm-service-core");
    }
}
