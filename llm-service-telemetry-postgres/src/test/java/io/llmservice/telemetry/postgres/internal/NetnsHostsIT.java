package io.llmservice.telemetry.postgres.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Processes in the namespaces of {@link NetnsHosts} reach a PostgreSQL on the bridge address, each from
 * its own address, and cannot reach the host's loopback; closing removes everything, and a new instance
 * removes what a dead run left behind. Skipped (with the reason) where namespaces cannot be made.
 */
class NetnsHostsIT {

    @Test
    void hostsInNamespaces_reachPostgresOnTheBridgeOnly_andCloseRemovesEverything() throws Exception {
        NetnsHosts.Availability can = NetnsHosts.availability();
        assumeTrue(can.available(), can.reason());
        NetnsHosts made;
        try (NetnsHosts hosts = NetnsHosts.create(2);
             PostgresServer pg = PostgresServer.builder().listenAddresses("127.0.0.1," + hosts.bridgeAddress()).build()) {
            made = hosts;
            pg.start();
            assertThat(hosts.hosts()).extracting(NetnsHosts.Host::address).doesNotHaveDuplicates()
                    .allSatisfy(a -> assertThat(a).startsWith(hosts.bridgeAddress().replaceAll("\\.1$", ".")));
            for (NetnsHosts.Host host : hosts.hosts()) {
                Run probe = probe(pg, host, pg.jdbcUrl(hosts.bridgeAddress(), "postgres"));
                assertThat(probe.exit).as("probe from %s: %s", host, probe.out).isZero();
                assertThat(probe.out.strip()).as("the client address PostgreSQL saw").isEqualTo(host.address());

                String port = Integer.toString(pg.port());
                Run bridge = run(host.command(List.of("bash", "-c", "exec 3<>/dev/tcp/" + hosts.bridgeAddress() + "/" + port)));
                assertThat(bridge.exit).as("TCP to the bridge from %s: %s", host, bridge.out).isZero();
                Run loopback = run(host.command(List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port)));
                assertThat(loopback.exit).as("TCP to 127.0.0.1 from %s must fail: %s", host, loopback.out).isNotZero();
                Run loopbackJdbc = probe(pg, host, pg.jdbcUrl("127.0.0.1", "postgres"));
                assertThat(loopbackJdbc.exit).as("JDBC to 127.0.0.1 from %s: %s", host, loopbackJdbc.out).isEqualTo(2);
            }
            Run fromHost = run(List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + pg.port()));
            assertThat(fromHost.exit).as("the host itself still reaches loopback: %s", fromHost.out).isZero();
        }
        assertThat(run(List.of("ip", "netns", "list")).out).doesNotContain(made.host(0).namespace(), made.host(1).namespace());
        assertThat(run(List.of("ip", "-o", "link", "show")).out).doesNotContain(made.bridge())
                .doesNotContain(made.bridge().replace("br", "h0")).doesNotContain(made.bridge().replace("br", "h1"));
    }

    @Test
    void create_removesNamespacesAndBridgesLeftByADeadRun_butNotThoseOfALiveOne() throws Exception {
        NetnsHosts.Availability can = NetnsHosts.availability();
        assumeTrue(can.available(), can.reason());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        long alive = ProcessHandle.current().pid();
        String deadNs = "llmsvc-" + dead + "-dead-0";
        String liveNs = "llmsvc-" + alive + "-beef-0";
        try {
            assertThat(run(List.of("ip", "netns", "add", deadNs)).exit).isZero();
            assertThat(run(List.of("ip", "netns", "add", liveNs)).exit).isZero();
            assertThat(run(List.of("ip", "link", "add", "llsdeadbr", "type", "bridge")).exit).isZero();
            assertThat(run(List.of("ip", "link", "set", "dev", "llsdeadbr", "alias", "llm-service-netns pid=" + dead)).exit).isZero();

            try (NetnsHosts hosts = NetnsHosts.create(1)) {
                assertThat(hosts.hosts()).hasSize(1);
            }
            String namespaces = run(List.of("ip", "netns", "list")).out;
            assertThat(namespaces).doesNotContain(deadNs).contains(liveNs);
            assertThat(run(List.of("ip", "-o", "link", "show")).out).doesNotContain("llsdeadbr");
        } finally {
            run(List.of("ip", "netns", "del", deadNs));
            run(List.of("ip", "netns", "del", liveNs));
            run(List.of("ip", "link", "del", "llsdeadbr"));
        }
    }

    @Test
    void testHosts_inNamespacesOrOnLoopback_eachReachTheServerFromTheAddressTheyClaim() throws Exception {
        List<TestHosts> kinds = List.of(TestHosts.create(2), TestHosts.loopback(2, "asked for by the test"));
        try {
            assertThat(kinds.get(0).isolated()).isEqualTo(NetnsHosts.availability().available());
            assertThat(kinds.get(1).isolated()).isFalse();
            assertThat(kinds.get(1).description()).contains("loopback", "asked for by the test");
            for (TestHosts hosts : kinds) {
                try (PostgresServer pg = PostgresServer.builder().listenAddresses(hosts.serverListenAddresses()).build()) {
                    pg.start();
                    for (int i = 0; i < hosts.size(); i++) {
                        ProcessBuilder pb = new ProcessBuilder(hosts.java(i, PgProbe.class,
                                List.of(pg.jdbcUrl(hosts.serverAddress(), "postgres"), PostgresServer.SUPERUSER)))
                                .redirectErrorStream(true);
                        pb.environment().put("PGPROBE_PASSWORD", pg.superuserPassword());
                        Run probe = finish(pb.start());
                        assertThat(probe.exit).as("%s host %d: %s", hosts, i, probe.out).isZero();
                        assertThat(probe.out.strip()).isEqualTo(hosts.address(i));
                    }
                }
            }
        } finally {
            kinds.forEach(TestHosts::close);
        }
    }

    private static Run probe(PostgresServer pg, NetnsHosts.Host host, String url) throws Exception {
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                PgProbe.class.getName(), url, PostgresServer.SUPERUSER);
        ProcessBuilder pb = new ProcessBuilder(host.command(java)).redirectErrorStream(true);
        pb.environment().put("PGPROBE_PASSWORD", pg.superuserPassword());
        return finish(pb.start());
    }

    private record Run(int exit, String out) {
    }

    private static Run run(List<String> cmd) throws Exception {
        return finish(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    private static Run finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, out + " (timed out)");
        }
        return new Run(p.exitValue(), out);
    }

}
