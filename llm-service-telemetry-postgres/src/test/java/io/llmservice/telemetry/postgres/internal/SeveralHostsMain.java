package io.llmservice.telemetry.postgres.internal;

import io.llmservice.BudgetExceededException;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

/**
 * One host of {@link SeveralHostsIT}: a JVM with its own {@link LlmService} on the shared store, its
 * service clock {@code skewSeconds} off the system clock. Prints {@code ready}, waits for {@code go} on
 * stdin, makes {@code calls} calls one after another, printing {@code ok <requestId> <cost>},
 * {@code refused <requestId?>} or {@code error <code> <message>} for each, then {@code calls-done}; waits
 * for {@code stats} and prints the month-by-agent and day-by-model stats as it reads them, then exits.
 *
 * <p>Arguments: config path, calls, skewSeconds, agent. The password comes from {@code PGPASSWORD}.
 */
public final class SeveralHostsMain {
    private SeveralHostsMain() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        int calls = Integer.parseInt(args[1]);
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(Long.parseLong(args[2])));
        String agent = args[3];
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (LlmService llm = LlmService.builder().config(config).clock(clock).build()) {
            out.println("ready");
            out.flush();
            in.readLine();
            for (int i = 0; i < calls; i++) {
                try {
                    LlmResponse r = llm.route(LlmRequest.builder("call " + i).agent(agent).build()).execute();
                    out.println("ok " + r.requestId() + " " + r.costUsd().orElseThrow().toPlainString());
                } catch (BudgetExceededException e) {
                    out.println("refused");
                } catch (LlmServiceException e) {
                    out.println("error " + e.code().id() + " " + e.getMessage().replace('\n', ' '));
                }
            }
            // stats() flushes this host's log writer: every record of its calls is committed.
            llm.stats(query(StatsPeriod.DAY, StatsDimension.MODEL));
            out.println("calls-done");
            out.flush();
            in.readLine();
            out.println("stats-month-agent " + llm.stats(query(StatsPeriod.MONTH, StatsDimension.AGENT)).rows());
            out.println("stats-day-model " + llm.stats(query(StatsPeriod.DAY, StatsDimension.MODEL)).rows());
            out.flush();
        }
    }

    private static StatsQuery query(StatsPeriod period, StatsDimension by) {
        return StatsQuery.builder().period(period).groupBy(by).zone(ZoneOffset.UTC).build();
    }
}
