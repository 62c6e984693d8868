package io.llmservice.core.internal.exec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Drains one output stream of a child to its end, keeping the first {@code cap} bytes and
 * counting (then discarding) the rest, so a child that writes gigabytes never blocks on a full
 * pipe and never fills the heap.
 *
 * <p>{@link #drain()} runs on one thread; {@link #snapshot()} may be called from another at any
 * time and sees a consistent prefix.
 */
final class StreamCapture {

    private static final int CHUNK = 32 * 1024;

    private final InputStream in;
    private final int cap;
    private byte[] kept = new byte[0];
    private int size;
    private long total;

    StreamCapture(InputStream in, long cap) {
        this.in = in;
        this.cap = (int) cap;
    }

    /** Reads until end of stream or an I/O error (the stream closed under us), then closes it. */
    void drain() {
        byte[] chunk = new byte[CHUNK];
        try (InputStream stream = in) {
            int n;
            while ((n = stream.read(chunk)) >= 0) {
                append(chunk, n);
            }
        } catch (IOException e) {
            // The pipe was closed (process gone, JDK replaced the stream): what we have is final.
        }
    }

    private synchronized void append(byte[] chunk, int n) {
        total += n;
        int keep = Math.min(n, cap - size);
        if (keep <= 0) {
            return;
        }
        if (size + keep > kept.length) {
            int grown = (int) Math.min(cap, Math.max((long) size + keep, Math.max(8192L, 2L * kept.length)));
            kept = Arrays.copyOf(kept, grown);
        }
        System.arraycopy(chunk, 0, kept, size, keep);
        size += keep;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(Arrays.copyOf(kept, size), total, total > size);
    }

    record Snapshot(byte[] bytes, long total, boolean capped) {
    }
}
