package io.llmservice.config;

import io.llmservice.RecordComponents;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetrySettingsTest {
    private static final String PASSWORD = "s3cr3t-pg-pass";

    private static TelemetrySettings postgres() {
        return TelemetrySettings.builder().store("postgres").path(Path.of("/var/lib/llm"))
                .privacy(Privacy.FULL).url("jdbc:postgresql://db.internal:5432/llm").user("llm")
                .password(Secret.fromVariable("PGPASSWORD", PASSWORD)).poolSize(8)
                .connectTimeout(Duration.ofSeconds(2)).whenDown(WhenDown.RUN).build();
    }

    @Test
    void builder_storeOnly_fillsTheDocumentedDefaults() {
        TelemetrySettings t = TelemetrySettings.builder().store("h2").build();

        assertThat(t).isEqualTo(new TelemetrySettings("h2", Path.of("telemetry"), Privacy.METADATA, Optional.empty(),
                Optional.empty(), Optional.empty(), 4, Duration.ofSeconds(5), WhenDown.REFUSE));
    }


    @Test
    void toBuilder_copiesEveryComponent() {
        TelemetrySettings full = postgres();

        assertThat(RecordComponents.equalIn(full, TelemetrySettings.builder().store("memory").build())).isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
    }

    @Test
    void toString_serverStore_neverShowsThePassword() {
        TelemetrySettings t = postgres();

        assertThat(t.toString()).doesNotContain(PASSWORD).contains("password=Optional[****]")
                .contains("jdbc:postgresql://db.internal:5432/llm");
        assertThat(t.password().orElseThrow().reveal()).isEqualTo(PASSWORD);
    }

    @Test
    void build_urlCarryingAPassword_refusedWithoutQuotingIt() {
        for (String url : new String[] {"jdbc:postgresql://db/llm?password=" + PASSWORD,
                "jdbc:postgresql://db/llm?ssl=true&sslpassword=" + PASSWORD,
                "jdbc:postgresql://db/llm?user=llm&PassWord=" + PASSWORD,
                "jdbc:postgresql://llm:" + PASSWORD + "@db:5432/llm"}) {
            assertThatThrownBy(() -> TelemetrySettings.builder().store("postgres").url(url).build()).as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the telemetry url must not carry a password")
                    .hasMessageNotContaining(PASSWORD);
        }
        // Neither a user name nor an '@' in a parameter is a password.
        assertThat(TelemetrySettings.urlCarriesPassword("jdbc:postgresql://llm@db/llm")).isFalse();
        assertThat(TelemetrySettings.urlCarriesPassword("jdbc:postgresql://db:5432/llm?user=a@b&ssl=true")).isFalse();
        assertThat(TelemetrySettings.urlCarriesPassword("jdbc:postgresql://db/llm?passwordfile=x")).isFalse();
    }

    @Test
    void location_serverStore_isTheUrl_fileStore_isThePath() {
        assertThat(postgres().location()).isEqualTo("jdbc:postgresql://db.internal:5432/llm");
        assertThat(TelemetrySettings.builder().store("h2").path(Path.of("/var/lib/llm/t")).build().location())
                .isEqualTo(Path.of("/var/lib/llm/t").toString());
    }

    @Test
    void build_poolSizeOutOfRange_namesFieldAndValue() {
        assertThatThrownBy(() -> TelemetrySettings.builder().store("postgres").poolSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("telemetry pool_size must be in 1..64, was 0");
        assertThatThrownBy(() -> TelemetrySettings.builder().store("postgres").poolSize(65).build())
                .hasMessage("telemetry pool_size must be in 1..64, was 65");
    }

    @Test
    void build_zeroConnectTimeout_refused() {
        assertThatThrownBy(() -> TelemetrySettings.builder().store("postgres").connectTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("telemetry connect_timeout must be > 0, was PT0S");
    }

    @Test
    void build_withoutStore_refused() {
        assertThatThrownBy(() -> TelemetrySettings.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("TelemetrySettings.store is required and was not set");
    }

    @Test
    void secret_toStringMasks_equalsByVariableAndValue() {
        Secret s = Secret.fromVariable("PGPASSWORD", PASSWORD);

        assertThat(s).hasToString("****").isEqualTo(Secret.fromVariable("PGPASSWORD", PASSWORD))
                .isNotEqualTo(Secret.fromVariable("PGPASSWORD", "other"));
        assertThat(s.variable()).isEqualTo("PGPASSWORD");
        assertThatThrownBy(() -> Secret.fromVariable("PG PASSWORD", PASSWORD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(PASSWORD);
    }
}
