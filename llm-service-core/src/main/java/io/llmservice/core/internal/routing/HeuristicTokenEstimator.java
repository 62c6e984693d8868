package io.llmservice.core.internal.routing;

/**
 * A tokenizer-free estimate modelled on how byte-pair encoders split text: a word of Latin
 * letters is one token per about six letters (with its leading space), digits go in groups of
 * three, runs of punctuation in pairs, whitespace runs that hold a line break or indentation are
 * one token, and letters outside Latin script cost more (CJK ideographs one each).
 *
 * <p>Why a heuristic: {@code route()} must decide in about a microsecond, and one linear pass
 * over the prompt with no tables meets that, while a real tokenizer costs tens of microseconds
 * per kilobyte. The estimate is compared against OpenAI's {@code o200k_base} tokenizer in
 * {@code HeuristicTokenEstimatorTest}; the measured gap is in {@code docs/architecture.md}.
 * Vendors' tokenizers differ from each other by more than that gap.
 */
public final class HeuristicTokenEstimator implements TokenEstimator {

    // Kinds of character runs: ints rather than an enum, and ASCII classified by a table, since
    // this loop runs over every character of every prompt on route().
    private static final int NONE = 0;
    private static final int LATIN = 1;
    private static final int DIGIT = 2;
    private static final int SPACE = 3;
    private static final int PUNCT = 4;
    private static final int OTHER_LETTER = 5;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? LATIN
                    : c >= '0' && c <= '9' ? DIGIT
                    : c == ' ' || c == '\t' || c == '\n' || c == '\r' ? SPACE
                    : PUNCT);
        }
    }

    @Override
    public long estimate(CharSequence text) {
        int n = text.length();
        if (n == 0) {
            return 0;
        }
        long tokens = 0;
        int run = NONE;
        int runLength = 0;
        boolean runHasBreak = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int kind = c < 128 ? ASCII[c] : classifyNonAscii(c);
            if (kind == OTHER_LETTER && isIdeograph(c)) {
                tokens += flush(run, runLength, runHasBreak);
                run = NONE;
                runLength = 0;
                runHasBreak = false;
                tokens++;
                continue;
            }
            if (kind != run) {
                tokens += flush(run, runLength, runHasBreak);
                run = kind;
                runLength = 0;
                runHasBreak = false;
            }
            runLength++;
            if (c == '\n') {
                runHasBreak = true;
            }
        }
        tokens += flush(run, runLength, runHasBreak);
        return Math.max(tokens, 1);
    }

    private static long flush(int kind, int length, boolean hasBreak) {
        if (length == 0) {
            return 0;
        }
        return switch (kind) {
            case LATIN -> (length + 7) / 8;
            case DIGIT -> (length + 2) / 3;
            case PUNCT, OTHER_LETTER -> (length + 1) / 2;
            // A single space rides on the next word's token; line breaks and indentation do not.
            case SPACE -> hasBreak || length > 1 ? 1 : 0;
            default -> 0;
        };
    }

    private static int classifyNonAscii(char c) {
        if (Character.isLetter(c)) {
            return c < 0x250 ? LATIN : OTHER_LETTER;
        }
        if (Character.isWhitespace(c)) {
            return SPACE;
        }
        return PUNCT;
    }

    private static boolean isIdeograph(char c) {
        return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF);
    }
}
