package io.llmservice.cli;

import io.llmservice.CallCancelledException;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceListener;
import io.llmservice.RoutedCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code llm-service exec [options] PROMPT}: routes the prompt, runs the tool (falling back as
 * configured) and prints the answer, or with {@code --json} the whole response.
 */
@Command(name = "exec", sortOptions = false,
        description = {"Route a prompt to a tool, run it and print the answer.",
                "While the tool runs and stderr is a terminal, one line on stderr shows the tool/model and the"
                        + " elapsed time. Ctrl-C (or SIGTERM) cancels the call, kills the tool's process tree, records the"
                        + " cancelled call and exits 130."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service exec --agent code-reviewer \"Review this diff: ...\"",
                "  git diff | llm-service exec --agent code-reviewer -",
                "  llm-service exec --json --complexity simple -- \"--explain this flag\"",
                "  llm-service exec --new-session \"Read Main.java\"  # stderr: session: TOOL:ID",
                "  llm-service exec --session claude-code:4f1c... \"Now add a test\""})
final class ExecCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Mixin
    RequestOptions request = new RequestOptions();

    @Option(names = "--json", description = "Print the whole response (tool, model, usage, cost, latency, attempts) as JSON.")
    boolean json;

    @Mixin
    CommonOptions common = new CommonOptions();

    ExecCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        LlmRequest req = request.toRequest(env);
        ProgressLine progress = new ProgressLine(env);
        LlmServiceListener warnings = new LlmServiceListener() {
            @Override
            public void onWarning(ErrorCode code, String message) {
                progress.println("warning: " + message + " [" + code.id() + "]");
            }
        };
        try (LlmService llm = ServiceOpener.open(env, common, List.of(progress, warnings))) {
            RoutedCall call = llm.route(req);
            if (common.verbose()) {
                env.err().println(call.plan().explain());
            }
            CancelOnShutdown interrupt = CancelOnShutdown.install(call, llm, env.err());
            LlmResponse response;
            progress.start(call.plan());
            try {
                response = call.execute();
            } catch (CallCancelledException e) {
                if (interrupt.fired()) {
                    return ExitCodes.INTERRUPTED; // the hook closes the service, reports and ends the process
                }
                throw e;
            } finally {
                progress.stop();
                interrupt.callEnded();
            }
            interrupt.remove();
            print(response);
            // Closing the service may still fail (a record that could not be written): the answer is out
            // first, then the error and a non-zero exit.
            return ExitCodes.OK;
        }
    }

    private void print(LlmResponse response) {
        if (json) {
            env.out().println(ResponseJson.render(response));
        } else {
            String text = response.text();
            env.out().print(text);
            if (!text.endsWith("\n")) {
                env.out().println();
            }
        }
        env.out().flush();
        if (!json) {
            // After the answer, on stderr: a script reads the answer from stdout and the session from here.
            response.warnings().stream().filter(w -> w.startsWith("session "))
                    .forEach(w -> env.err().println("warning: " + w));
            response.session().ifPresent(s -> env.err().println("session: " + s));
        }
        if (common.verbose()) {
            env.err().println(response);
            response.attempts().forEach(a -> env.err().println("  " + a));
        }
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
