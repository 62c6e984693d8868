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

    private enum Kind { NONE, LATIN, DIGIT, SPACE, PUNCT, OTHER_LETTER }

    @Override
    public long estimate(CharSequence text) {
        int n = text.length();
        if (n == 0) {
            return 0;
        }
        long tokens = 0;
        Kind run = Kind.NONE;
        int runLength = 0;
        boolean runHasBreak = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            Kind kind = classify(c);
            if (kind == Kind.OTHER_LETTER && isIdeograph(c)) {
                tokens += flush(run, runLength, runHasBreak);
                run = Kind.NONE;
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

    private static long flush(Kind kind, int length, boolean hasBreak) {
        if (length == 0) {
            return 0;
        }
        return switch (kind) {
            case NONE -> 0;
            case LATIN -> (length + 7) / 8;
            case DIGIT -> (length + 2) / 3;
            case PUNCT -> (length + 1) / 2;
            // A single space rides on the next word's token; line breaks and indentation do not.
            case SPACE -> hasBreak || length > 1 ? 1 : 0;
            case OTHER_LETTER -> (length + 1) / 2;
        };
    }

    private static Kind classify(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return Kind.LATIN;
        }
        if (c >= '0' && c <= '9') {
            return Kind.DIGIT;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            return Kind.SPACE;
        }
        if (c < 128) {
            return Kind.PUNCT;
        }
        if (Character.isLetter(c)) {
            return c < 0x250 ? Kind.LATIN : Kind.OTHER_LETTER;
        }
        if (Character.isWhitespace(c)) {
            return Kind.SPACE;
        }
        return Kind.PUNCT;
    }

    private static boolean isIdeograph(char c) {
        return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF);
    }
}
