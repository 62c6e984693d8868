package io.llmservice.acceptance;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of README.md and docs/ reaches a file that exists and, when it names an
 * anchor ({@code user-guide.md#continue-a-conversation}), a heading of that file whose anchor
 * GitHub derives is that one: lower case, punctuation dropped, spaces as hyphens.
 */
class DocLinksTest {
    private static final Parser PARSER = Parser.builder().build();

    @Test
    void relativeLinks_reachAFile_andAHeadingOfIt() {
        List<String> broken = new ArrayList<>();
        for (Path file : DocBlocks.files()) {
            for (String target : links(file)) {
                if (target.matches("^[a-z][a-z0-9+.-]*:.*") || target.isEmpty()) {
                    continue; // https:, mailto: ...
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path linked = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                String where = DocBlocks.ROOT.relativize(file) + ": (" + target + ")";
                if (!Files.exists(linked)) {
                    broken.add(where + " no such file");
                } else if (hash >= 0 && !Files.isDirectory(linked) && linked.toString().endsWith(".md")
                        && !anchors(linked).contains(target.substring(hash + 1))) {
                    broken.add(where + " no such heading; anchors: " + anchors(linked));
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    private static Node parse(Path file) {
        try {
            return PARSER.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> links(Path file) {
        List<String> found = new ArrayList<>();
        parse(file).accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                found.add(link.getDestination());
                visitChildren(link);
            }
        });
        return found;
    }

    /** GitHub's anchors of the file's headings (a repeated heading gets -1, -2, ...). */
    static Set<String> anchors(Path file) {
        Set<String> anchors = new HashSet<>();
        parse(file).accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                StringBuilder text = new StringBuilder();
                heading.accept(new AbstractVisitor() {
                    @Override
                    public void visit(Text t) {
                        text.append(t.getLiteral());
                    }

                    @Override
                    public void visit(Code c) {
                        text.append(c.getLiteral());
                    }
                });
                String slug = text.toString().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                        .replace(' ', '-');
                String unique = slug;
                for (int i = 1; !anchors.add(unique); i++) {
                    unique = slug + "-" + i;
                }
            }
        });
        return anchors;
    }
}
