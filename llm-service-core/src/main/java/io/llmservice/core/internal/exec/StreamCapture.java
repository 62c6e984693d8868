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

    /** Size of the first buffer: most tool answers fit, and a bigger one would be zeroed for nothing. */
    private static final int FIRST_BUFFER = 2 * 1024;
    /** Size of the buffer bytes beyond the cap are read into and dropped. */
    private static final int DISCARD_CHUNK = 32 * 1024;

    private final InputStream in;
    private final int cap;
    private byte[] kept = new byte[0];
    private int size;
    private long total;

    StreamCapture(InputStream in, long cap) {
        this.in = in;
        this.cap = (int) cap;
    }

    /**
     * Reads until end of stream or an I/O error (the stream closed under us), then closes it.
     * Kept bytes are read straight into the growing buffer (no copy through a chunk); once the
     * cap is reached the rest goes through one reused discard buffer.
     */
    void drain() {
        byte[] discard = null;
        try (InputStream stream = in) {
            while (true) {
                byte[] target;
                int offset;
                int length;
                synchronized (this) {
                    if (size < cap) {
                        if (size == kept.length) {
                            int grown = (int) Math.min(cap, Math.max(FIRST_BUFFER, 2L * kept.length));
                            kept = Arrays.copyOf(kept, grown);
                        }
                        target = kept;
                        offset = size;
                        length = kept.length - size;
                    } else {
                        if (discard == null) {
                            discard = new byte[DISCARD_CHUNK];
                        }
                        target = discard;
                        offset = 0;
                        length = discard.length;
                    }
                }
                // Outside the lock: snapshot() copies only [0, size), which this read never touches.
                int n = stream.read(target, offset, length);
                if (n < 0) {
                    return;
                }
                synchronized (this) {
                    total += n;
                    if (target == kept) {
                        size += n;
                    }
                }
            }
        } catch (IOException e) {
            // The pipe was closed under us (the runner gave it up, or the JDK replaced the stream): what we have is final.
        }
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(Arrays.copyOf(kept, size), total, total > size);
    }

    record Snapshot(byte[] bytes, long total, boolean capped) {
    }
}
