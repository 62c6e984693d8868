package io.llmservice.core.internal.adapter;

import io.llmservice.config.SessionSpec;
import io.llmservice.spi.ToolInvocation;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a tool's {@code session:} arguments into its rendered command line: {@code ephemeral}
 * for a call without a session, {@code start} for a new kept session, {@code resume} with
 * {@code {session}} replaced by the id to continue. They take the place of the
 * {@value SessionSpec#ARGS_PLACEHOLDER} element of {@code args} (codex's {@code resume} is a
 * subcommand that must come before its prompt argument), else go at the end.
 *
 * <pre>{@code
 * // args: ["exec", "--json", "{session_args}", "-"], resume: ["resume", "{session}"]
 * List<String> command = new ArrayList<>(List.of("/bin/codex", "exec", "--json", "{session_args}", "-"));
 * SessionArgs.apply(command, 1, tool.args(), spec, invocation);
 * // ["/bin/codex", "exec", "--json", "resume", "0199a213-...", "-"]
 * }</pre>
 *
 * <p>The id is spliced in after the other placeholders were rendered, so it is never scanned for
 * placeholders, and is always exactly one argument. Stateless.
 */
final class SessionArgs {
    private SessionArgs() {
    }

    /**
     * Splices the session arguments into {@code command}, whose elements from {@code offset} on
     * are {@code template} rendered one for one.
     */
    static void apply(List<String> command, int offset, List<String> template, SessionSpec spec,
                      ToolInvocation invocation) {
        List<String> sessionArgs = of(spec, invocation);
        int at = template.indexOf(SessionSpec.ARGS_PLACEHOLDER);
        if (at < 0) {
            command.addAll(sessionArgs);
            return;
        }
        // By position, not by value: a prompt argument may well read "{session_args}".
        command.remove(offset + at);
        command.addAll(offset + at, sessionArgs);
    }

    /** The session arguments of this invocation, {@code {session}} filled. */
    static List<String> of(SessionSpec spec, ToolInvocation invocation) {
        if (!invocation.keepsSession()) {
            return spec.ephemeral();
        }
        if (invocation.resumeSession().isEmpty()) {
            return spec.start();
        }
        String id = invocation.resumeSession().get();
        List<String> out = new ArrayList<>(spec.resume().size());
        for (String arg : spec.resume()) {
            out.add(arg.equals(SessionSpec.SESSION_PLACEHOLDER) ? id : arg);
        }
        return out;
    }
}
