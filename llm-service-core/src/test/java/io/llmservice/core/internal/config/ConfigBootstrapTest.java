package io.llmservice.core.internal.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigBootstrapTest {

    @Test
    void everyLoader_sharesOneValidator_andOneParsedCatalogue() {
        ConfigLoader.prepare();
        ConfigLoader.prepare();
        CompletableFuture<BindingValidator> first = ConfigBootstrap.validator();

        assertThat(ConfigBootstrap.validator()).isSameAs(first);
        assertThat(first.join()).isSameAs(ConfigBootstrap.validator().join());
        assertThat(ConfigBootstrap.catalogue()).isSameAs(ConfigBootstrap.catalogue());
        assertThat(ConfigBootstrap.catalogue().root()).isNotNull();
        assertThat(ConfigBootstrap.catalogue().problems()).isEmpty();
    }

    @Test
    void inBackground_computesOnce_onItsOwnDaemonThread_howeverManyAsk() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1);
        ConfigBootstrap.InBackground<String> once = new ConfigBootstrap.InBackground<>(() -> {
            runs.incrementAndGet();
            ranOn.set(Thread.currentThread());
            await(release);
            return "value";
        }, "test-bootstrap");

        List<CompletableFuture<String>> asked = new ArrayList<>();
        List<Thread> askers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                synchronized (asked) {
                    asked.add(once.get());
                }
            });
            askers.add(t);
            t.start();
        }
        for (Thread t : askers) {
            t.join(10_000);
        }
        release.countDown();

        assertThat(asked).hasSize(8).allSatisfy(f -> assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("value"));
        assertThat(asked.stream().distinct()).hasSize(1);
        assertThat(runs).hasValue(1);
        assertThat(ranOn.get().getName()).isEqualTo("test-bootstrap");
        assertThat(ranOn.get().isDaemon()).isTrue();
    }

    @Test
    void inBackground_forgetsAFailure_soTheNextAskTriesAgain() {
        AtomicInteger runs = new AtomicInteger();
        ConfigBootstrap.InBackground<String> once = new ConfigBootstrap.InBackground<>(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first bootstrap failed");
            }
            return "second";
        }, "test-bootstrap");

        CompletableFuture<String> failed = once.get();
        assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class)
                .hasRootCauseMessage("first bootstrap failed");

        assertThat(once.get().join()).isEqualTo("second");
        assertThat(once.get().join()).isEqualTo("second");
        assertThat(runs).hasValue(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
