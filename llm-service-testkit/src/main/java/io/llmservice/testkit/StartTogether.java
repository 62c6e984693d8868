package io.llmservice.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs one task on several threads released at the same moment, for the contracts' thread-safety
 * checks.
 *
 * <pre>{@code
 * StartTogether.run(8, thread -> shared.plan(context));
 * }</pre>
 */
final class StartTogether {

    /** The work of one thread; {@code thread} counts from 0. */
    interface Task {
        void run(int thread) throws Exception;
    }

    private StartTogether() {
    }

    /**
     * Starts {@code threads} threads, releases them together and waits up to two minutes for each;
     * a task that throws fails the run with its exception as the cause.
     */
    static void run(int threads, Task task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    task.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
