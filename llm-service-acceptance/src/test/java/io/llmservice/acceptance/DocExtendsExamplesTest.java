package io.llmservice.acceptance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No YAML example in the docs extends a tool and restates its {@code args}: {@code args} replaces
 * the inherited list, so a copied example would silently drop the built-ins' safety flags
 * (claude's {@code --strict-mcp-config}, codex's retry bounds). Examples add arguments with
 * {@code args_append} / {@code args_prepend} instead.
 */
class DocExtendsExamplesTest {
    /** One tool of a {@code tools:} block: its name line and the lines indented under it. */
    private static final Pattern TOOL = Pattern.compile("(?m)^( *)([\\w.-]+):[ \\t]*(?:#.*)?\\n((?:\\1 {2,}.*\\n|[ \\t]*\\n)+)");

    @Test
    void noToolThatExtends_restatesArgs() {
        List<String> found = new ArrayList<>();
        for (DocBlocks.Block block : DocBlocks.all()) {
            if (!block.language().equals("yaml")) {
                continue;
            }
            Matcher m = TOOL.matcher(block.code().endsWith("\n") ? block.code() : block.code() + "\n");
            // Each key with an indented body, nested ones too: the search goes on inside the body just found.
            for (int from = 0; m.find(from); from = m.start(3)) {
                String body = m.group(3);
                String indent = body.substring(0, body.length() - body.stripLeading().length());
                boolean extendsAnother = Pattern.compile("(?m)^" + indent + "extends:").matcher(body).find();
                boolean restatesArgs = Pattern.compile("(?m)^" + indent + "args:").matcher(body).find();
                if (extendsAnother && restatesArgs) {
                    found.add(block.where() + ": tool " + m.group(2));
                }
            }
        }
        assertThat(found).as("doc examples whose tool extends another and restates args").isEmpty();
    }
}
