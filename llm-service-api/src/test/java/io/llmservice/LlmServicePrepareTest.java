package io.llmservice;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API module alone: no implementation on the class path. */
class LlmServicePrepareTest {

    @Test
    void prepare_withNoImplementation_returnsQuietly_andBuildStillSaysWhatIsMissing() {
        assertThatCode(LlmService::prepare).doesNotThrowAnyException();

        assertThatThrownBy(() -> LlmService.builder().config(Path.of("llm-service.yaml")).build())
                .isInstanceOfSatisfying(LlmServiceException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_MISSING))
                .hasMessageContaining("llm-service-core");
    }
}
