package io.llmservice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The usage of every command reads whole at picocli's default width of 80 columns. */
class HelpTextTest {
    @TempDir
    Path tmp;

    private List<CommandLine> everyCommand() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        CommandLine root = Main.commandLine(new CliEnvironment(Map.of(), tmp, tmp, InputStream.nullInputStream(), sink,
                sink, false));
        List<CommandLine> all = new ArrayList<>();
        collect(root, all);
        return all;
    }

    private static void collect(CommandLine cl, List<CommandLine> into) {
        into.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    @Test
    void help_firstDescriptionLine_isAWholeSentence() {
        // A parent's command list shows only the first line: "...or every problem, one" read as cut off.
        for (CommandLine cl : everyCommand()) {
            String[] description = cl.getCommandSpec().usageMessage().description();
            assertThat(description).as(cl.getCommandName()).isNotEmpty();
            assertThat(description[0]).as(cl.getCommandName()).endsWith(".");
        }
    }

    @Test
    void help_everyExample_staysOnOneLine() {
        List<String> checked = new ArrayList<>();
        for (CommandLine cl : everyCommand()) {
            List<String> usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().map(String::stripTrailing)
                    .toList();
            for (String line : cl.getCommandSpec().usageMessage().footer()) {
                if (!line.isBlank()) {
                    // picocli formats footer lines: "%%" prints as "%"
                    String shown = line.replace("%%", "%").stripTrailing();
                    assertThat(usage).as(cl.getCommandName() + " --help").contains(shown);
                    checked.add(line);
                }
            }
        }
        assertThat(checked).anyMatch(l -> l.contains("llm-service route --explain"));
    }

    @Test
    void help_commonOptions_listedAtTheTop() {
        String usage = everyCommand().get(0).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage).contains("--config=PATH").contains("--verbose").contains("--version");
    }
}
