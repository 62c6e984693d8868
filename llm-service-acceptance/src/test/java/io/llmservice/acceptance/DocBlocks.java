package io.llmservice.acceptance;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.Node;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced code blocks of the project's Markdown ({@code README.md} and {@code docs/**.md}), read
 * with commonmark-java, each with the {@code <!-- snippet: ... -->} comment written directly above
 * it, if any. The doc tests compile or run what they find here.
 */
final class DocBlocks {
    /** The repository's root: the acceptance module's parent directory. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Pattern MARKER = Pattern.compile("<!--\\s*snippet:\\s*(.*?)\\s*-->", Pattern.DOTALL);

    /**
     * One fenced block.
     *
     * @param file the Markdown file, relative to {@link #ROOT}
     * @param line the 1-based line of the opening fence
     * @param language the info string's first word ({@code java}, {@code bash}); empty when none
     * @param marker what the {@code <!-- snippet: ... -->} comment above says; empty when there is none
     * @param code the block's content
     */
    record Block(Path file, int line, String language, String marker, String code) {
        /** {@code file:line}, for messages. */
        String where() {
            return file + ":" + line;
        }

        @Override
        public String toString() {
            return where() + " (" + (language.isEmpty() ? "no language" : language) + ")";
        }
    }

    private DocBlocks() {
    }

    /** The Markdown files the doc tests cover: README.md and every .md under docs/. */
    static List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Every fenced block of every file of {@link #files()}, in file order. */
    static List<Block> all() {
        return files().stream().flatMap(f -> read(f).stream()).toList();
    }

    /** The fenced blocks of one Markdown file. */
    static List<Block> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Node document = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build().parse(text);
        Path relative = ROOT.relativize(file.toAbsolutePath().normalize());
        List<Block> blocks = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(FencedCodeBlock block) {
                String info = block.getInfo() == null ? "" : block.getInfo().strip();
                String language = info.isEmpty() ? "" : info.split("\\s+", 2)[0];
                String marker = "";
                if (block.getPrevious() instanceof HtmlBlock html) {
                    Matcher m = MARKER.matcher(html.getLiteral());
                    if (m.find()) {
                        marker = m.group(1);
                    }
                }
                int line = block.getSourceSpans().get(0).getLineIndex() + 1;
                blocks.add(new Block(relative, line, language, marker, block.getLiteral()));
            }
        });
        return blocks;
    }
}
