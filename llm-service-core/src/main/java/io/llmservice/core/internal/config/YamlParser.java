package io.llmservice.core.internal.config;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one YAML file into a snakeyaml-engine node tree that keeps line/column marks, with the
 * safety limits of the configuration: size, nesting depth, aliases to collections, strict
 * UTF-8, no duplicate or non-text keys, no recursive aliases. Every failure becomes a
 * problem; no snakeyaml exception escapes. Stateless and thread-safe.
 */
final class YamlParser {
    /** Largest accepted file: 10 MiB (a real configuration is a few kilobytes). */
    static final int MAX_BYTES = 10 * 1024 * 1024;
    /** Deepest accepted nesting of mappings and lists (the schema itself needs 6). */
    static final int MAX_DEPTH = 64;
    /** Most aliases to mappings or lists per file (stops "billion laughs"). */
    static final int MAX_ALIASES = 50;

    /** Reads and parses a file; empty when it could not be read or parsed (problems were added). */
    Optional<Node> parseFile(Path file, String sourceName, Problems problems) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                problems.inSource(sourceName, "", tooLarge(size + " bytes"));
                return Optional.empty();
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            problems.inSource(sourceName, "", "cannot read the file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); check that it exists and is readable");
            return Optional.empty();
        }
        return parseBytes(bytes, sourceName, problems);
    }

    /** Parses UTF-8 bytes, e.g. a class-path resource. */
    Optional<Node> parseBytes(byte[] bytes, String sourceName, Problems problems) {
        if (bytes.length > MAX_BYTES) {
            problems.inSource(sourceName, "", tooLarge(bytes.length + " bytes"));
            return Optional.empty();
        }
        return decode(bytes, sourceName, problems).flatMap(text -> parse(text, sourceName, problems));
    }

    /** Parses in-memory text. */
    Optional<Node> parseText(String text, String sourceName, Problems problems) {
        if (text.length() > MAX_BYTES) {
            problems.inSource(sourceName, "", tooLarge(text.length() + " characters"));
            return Optional.empty();
        }
        return parse(text, sourceName, problems);
    }

    private static String tooLarge(String size) {
        return "the configuration is " + size + ", more than the limit of " + MAX_BYTES
                + " bytes (10 MiB); a configuration is normally a few kilobytes: check that this is the right file";
    }

    private static Optional<String> decode(byte[] bytes, String sourceName, Problems problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int lineStart = 0;
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            String before = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8);
            int column = before.codePointCount(0, before.length()) + 1;
            problems.add(new io.llmservice.ConfigProblem(sourceName, line, column, "",
                    String.format(Locale.ROOT, "not valid UTF-8: byte 0x%02X at byte offset %d; save the file"
                            + " in UTF-8 encoding", bytes[offset] & 0xFF, offset)));
            return Optional.empty();
        }
        out.flip();
        return Optional.of(out.toString());
    }

    private Optional<Node> parse(String text, String sourceName, Problems problems) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        LoadSettings settings = LoadSettings.builder()
                .setLabel(sourceName)
                .setUseMarks(true)
                .setCodePointLimit(MAX_BYTES)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .build();
        DepthLimitedParser parser = new DepthLimitedParser(
                new ParserImpl(settings, new StreamReader(settings, body)), MAX_DEPTH);
        Optional<Node> root;
        try {
            root = new Composer(settings, parser).getSingleNode();
        } catch (DepthLimitedParser.NestingTooDeepException e) {
            problems.at(e.mark(), "", "mappings and lists are nested deeper than " + MAX_DEPTH
                    + " levels; a configuration needs at most 6: check for unbalanced brackets");
            return Optional.empty();
        } catch (MarkedYamlEngineException e) {
            String context = String.valueOf(e.getContext());
            if (context.contains("quoted scalar") && e.getContextMark().isPresent()) {
                problems.at(e.getContextMark(), "", "invalid YAML: unclosed quote; the quoted text that starts"
                        + " here is never closed: add the closing quote");
                return Optional.empty();
            }
            Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            if (mark.isEmpty()) {
                mark = parser.lastMark();
            }
            problems.at(mark, "", "invalid YAML: " + describe(e));
            return Optional.empty();
        } catch (YamlEngineException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Number of aliases")) {
                problems.at(parser.lastMark(), "", "more than " + MAX_ALIASES + " aliases to mappings or lists;"
                        + " this looks like an alias bomb (\"billion laughs\"): write the values out instead");
            } else if (message.contains("exceeds the limit")) {
                problems.at(parser.lastMark(), "", tooLarge("larger than allowed"));
            } else {
                problems.at(parser.lastMark(), "", "invalid YAML: " + oneLine(message));
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            problems.at(parser.lastMark(), "", "invalid YAML: " + oneLine(String.valueOf(e.getMessage())));
            return Optional.empty();
        }
        if (root.isEmpty() || isNull(root.get())) {
            problems.add(new io.llmservice.ConfigProblem(sourceName, 1, 1, "",
                    "the file is empty; write at least one of the sections models, tools, agents, policies"));
            return Optional.empty();
        }
        return checkTree(root.get(), problems) ? root : Optional.empty();
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.isPlain() && NodeReader.isNullText(s.getValue());
    }

    private static String describe(MarkedYamlEngineException e) {
        String problem = oneLine(e.getProblem());
        StringBuilder sb = new StringBuilder(problem);
        if (problem.contains("'\\t'") || problem.contains("TAB")) {
            return "a tab character; YAML indentation must use spaces, not tabs";
        }
        String context = e.getContext();
        if (context != null && !context.isBlank()) {
            sb.append(" (").append(oneLine(context));
            e.getContextMark().ifPresent(m -> sb.append(" at line ").append(m.getLine() + 1)
                    .append(", column ").append(m.getColumn() + 1));
            sb.append(')');
        }
        if (problem.contains("end of the stream") && context != null && context.contains("quoted")) {
            sb.append("; close the quote");
        }
        return sb.toString();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** A node to check and its YAML path, for the duplicate-key walk. */
    private record Visit(Node node, String path) {
    }

    /**
     * One pass over the tree (each node once, iteratively, so aliases cannot make it
     * expensive): keys must be text and unique, aliases must not be recursive.
     */
    private static boolean checkTree(Node root, Problems problems) {
        boolean ok = true;
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Visit> todo = new ArrayDeque<>();
        todo.push(new Visit(root, ""));
        while (!todo.isEmpty()) {
            Visit visit = todo.pop();
            Node node = visit.node();
            if (!seen.add(node)) {
                continue;
            }
            if (node.isRecursive()) {
                problems.at(node, visit.path(), "an alias refers to a mapping or list that contains it;"
                        + " recursive structures are not allowed in a configuration");
                ok = false;
                continue;
            }
            if (node instanceof MappingNode mapping) {
                Map<String, Node> firstKeys = new HashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    Node key = tuple.getKeyNode();
                    if (!(key instanceof ScalarNode scalar)) {
                        problems.at(key, visit.path(), "a key must be plain text, not a mapping or list");
                        ok = false;
                        continue;
                    }
                    String path = NodeReader.child(visit.path(), scalar.getValue());
                    Node first = firstKeys.putIfAbsent(scalar.getValue(), key);
                    if (first != null) {
                        problems.at(key, path, "duplicate key '" + scalar.getValue() + "' (first defined at "
                                + position(first) + "); remove one of them");
                        ok = false;
                    }
                    todo.push(new Visit(tuple.getValueNode(), path));
                }
            } else if (node instanceof SequenceNode sequence) {
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    todo.push(new Visit(sequence.getValue().get(i), visit.path() + "[" + i + "]"));
                }
            }
        }
        return ok;
    }

    static String position(Node node) {
        return node.getStartMark().map(m -> m.getName() + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                .orElse("<unknown>");
    }
}
