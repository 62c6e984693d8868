package io.llmservice.core.internal.pipeline;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListenersTest {

    @Test
    void aListenerThrowingALinkageError_isSkipped_andTheNextOneStillHearsTheEvent() {
        List<String> heard = new ArrayList<>();
        LlmServiceListener builtAgainstAnotherMicrometer = new LlmServiceListener() {
            @Override
            public void onWarning(ErrorCode code, String message) {
                throw new NoSuchMethodError("'io.micrometer.core.instrument.Timer$Builder timer()'");
            }
        };
        LlmServiceListener recording = new LlmServiceListener() {
            @Override
            public void onWarning(ErrorCode code, String message) {
                heard.add(code.id() + " " + message);
            }
        };
        Listeners listeners = new Listeners(List.of(builtAgainstAnotherMicrometer, recording));

        listeners.warning(ErrorCode.BUDGET_EXCEEDED, "soft budget team-daily at 80%");

        assertThat(heard).containsExactly(ErrorCode.BUDGET_EXCEEDED.id() + " soft budget team-daily at 80%");
    }

    @Test
    void aListenerThrowingARuntimeException_isSkipped_andTheNextOneStillHearsTheEvent() {
        List<String> heard = new ArrayList<>();
        LlmServiceListener broken = new LlmServiceListener() {
            @Override
            public void onWarning(ErrorCode code, String message) {
                throw new IllegalStateException("broken listener");
            }
        };
        LlmServiceListener recording = new LlmServiceListener() {
            @Override
            public void onWarning(ErrorCode code, String message) {
                heard.add(message);
            }
        };

        new Listeners(List.of(broken, recording)).warning(ErrorCode.BUDGET_EXCEEDED, "soft budget crossed");

        assertThat(heard).containsExactly("soft budget crossed");
    }
}
