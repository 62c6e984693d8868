package io.llmservice.telemetry.postgres.internal;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What needs no running PostgreSQL: settings, URLs, refusals. */
class PostgresServerTest {

    @Test
    void builder_rejectsNoAddressAndBadPorts_namingTheValue() {
        assertThatThrownBy(() -> PostgresServer.builder().listenAddresses(" , "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' , ' names no address");
        assertThatThrownBy(() -> PostgresServer.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 70000");
    }

    @Test
    void jdbcUrl_usesTheFirstAddress_orTheGivenOne_bracketingIpv6() {
        try (PostgresServer pg = PostgresServer.builder().listenAddresses("127.0.0.1, 10.77.9.1").port(5499).build()) {
            assertThat(pg.listenAddresses()).containsExactly("127.0.0.1", "10.77.9.1");
            assertThat(pg.jdbcUrl("db")).isEqualTo("jdbc:postgresql://127.0.0.1:5499/db");
            assertThat(pg.jdbcUrl("10.77.9.1", "db")).isEqualTo("jdbc:postgresql://10.77.9.1:5499/db");
            assertThat(pg.jdbcUrl("::1", "db")).isEqualTo("jdbc:postgresql://[::1]:5499/db");
            assertThat(pg.running()).isFalse();
        }
    }

    @Test
    void identifiersThatAreNotPlain_areRefusedBeforeAnySql_andTheSecretStaysOutOfToString() {
        try (PostgresServer pg = PostgresServer.builder().build()) {
            assertThatThrownBy(() -> pg.createRole("x\"; drop role postgres; --", "pw"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain PostgreSQL identifier");
            assertThatThrownBy(() -> pg.createDatabase("Upper"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Upper'");
            assertThat(pg.superuserPassword()).hasSize(36);
            assertThat(pg.toString()).doesNotContain(pg.superuserPassword());
            Path dir = pg.dataDirectory().getParent();
            assertThat(dir).exists();
            pg.close();
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void netnsHosts_refuseAnImpossibleCount() {
        assertThatThrownBy(() -> NetnsHosts.create(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count 0 is out of range");
        assertThatThrownBy(() -> TestHosts.loopback(3, "test").command(3, java.util.List.of("true")))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("host 3 does not exist");
    }
}
