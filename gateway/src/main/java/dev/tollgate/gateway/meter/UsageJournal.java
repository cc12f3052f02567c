package dev.tollgate.gateway.meter;

import dev.tollgate.platform.config.TollgateHome;
import dev.tollgate.platform.usage.UsageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The durable path of usage events: memory queue → append-only journal segment on local disk →
 * PostgreSQL. Two daemon threads: the writer appends queued events as JSON lines to the open
 * segment ({@code seg-<n>.open}), fsyncs each write group (see {@link MeterConfiguration#fsync()})
 * and closes the segment every {@code segment-every} (renamed {@code seg-<n>.ready}); the
 * inserter writes ready segments to PostgreSQL in order, one transaction each, and deletes a
 * segment only after its commit. Inserts are idempotent, so a segment replayed after a crash
 * between commit and delete adds nothing twice. A failed insert (PostgreSQL away) is retried
 * with backoff up to 30 s; segments wait on disk meanwhile.
 */
@Context
@Requires(property = "tollgate.gateway.enabled", notEquals = "false")
public class UsageJournal {

    private static final Logger LOG = LoggerFactory.getLogger(UsageJournal.class);
    private static final String OPEN = ".open";
    private static final String READY = ".ready";

    private final Path dir;
    private final MeterConfiguration configuration;
    private final JsonMapper json;
    private final UsageEventWriter writer;
    private final LinkedBlockingQueue<UsageEvent> queue = new LinkedBlockingQueue<>();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong pendingEvents = new AtomicLong();
    private final Counter journaled;
    private final Counter inserted;
    private final Counter insertFailures;
    private final Counter journalFailures;
    private final Thread writerThread;
    private final Thread inserterThread;
    private final Object inserterSignal = new Object();
    private volatile boolean running = true;

    public UsageJournal(MeterConfiguration configuration, JsonMapper json, UsageEventWriter writer, MeterRegistry meters) {
        this.configuration = configuration;
        this.json = json;
        this.writer = writer;
        this.dir = configuration.journalDir() != null && !configuration.journalDir().isBlank()
                ? Path.of(configuration.journalDir()).toAbsolutePath()
                : TollgateHome.fromEnvironment().resolve("usage-journal");
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve("journal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("usage journal " + dir + " is in use by another process: give each gateway "
                        + "its own tollgate.meter.journal-dir");
            }
            recoverOpenSegments();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the usage journal in " + dir, e);
        }
        journaled = Counter.builder("tollgate.meter.journaled").description("usage events written to the journal").register(meters);
        inserted = Counter.builder("tollgate.meter.inserted").description("usage events inserted into PostgreSQL").register(meters);
        insertFailures = Counter.builder("tollgate.meter.insert.failures").description("failed usage batch inserts").register(meters);
        journalFailures = Counter.builder("tollgate.meter.journal.failures").description("failed journal writes").register(meters);
        Gauge.builder("tollgate.meter.pending", pendingEvents, AtomicLong::get)
                .description("usage events not yet in PostgreSQL").register(meters);
        writerThread = new Thread(this::writeLoop, "usage-journal-writer");
        writerThread.setDaemon(true);
        inserterThread = new Thread(this::insertLoop, "usage-journal-inserter");
        inserterThread.setDaemon(true);
        writerThread.start();
        inserterThread.start();
    }

    /** The journal directory. */
    public Path directory() {
        return dir;
    }

    /** Queues an event; never blocks. */
    public void append(UsageEvent event) {
        pendingEvents.incrementAndGet();
        queue.add(event);
    }

    /** Announces an event that is still being built, so that {@link #awaitFlushed} waits for it. */
    void expect() {
        pendingEvents.incrementAndGet();
    }

    /** Queues an event announced with {@link #expect()}, or withdraws the announcement (null). */
    void appendExpected(@Nullable UsageEvent event) {
        if (event == null) {
            pendingEvents.decrementAndGet();
        } else {
            queue.add(event);
        }
    }

    /** Events appended but not yet in PostgreSQL. */
    public long pending() {
        return pendingEvents.get();
    }

    /** Waits until every appended event is in PostgreSQL; false on timeout. */
    public boolean awaitFlushed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingEvents.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            wakeInserter();
            Thread.sleep(20);
        }
        return true;
    }

    private void recoverOpenSegments() throws IOException {
        long max = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("seg-") && (name.endsWith(OPEN) || name.endsWith(READY))) {
                    long n = Long.parseLong(name.substring(4, name.lastIndexOf('.')));
                    max = Math.max(max, n);
                    if (name.endsWith(OPEN)) {
                        Files.move(p, dir.resolve(segmentName(n) + READY), StandardCopyOption.ATOMIC_MOVE);
                    }
                    try (Stream<String> lines = Files.lines(p.resolveSibling(segmentName(n) + READY))) {
                        pendingEvents.addAndGet(lines.filter(l -> !l.isBlank()).count());
                    }
                }
            }
        }
        sequence.set(max);
        if (max > 0) {
            LOG.info("usage journal: replaying {} segment(s) left in {}", readySegments().size(), dir);
        }
    }

    private static String segmentName(long n) {
        return String.format("seg-%019d", n);
    }

    // ------------------------------------------------------------------ writer thread

    private void writeLoop() {
        FileChannel segment = null;
        long segmentNo = 0;
        int segmentEvents = 0;
        long segmentOpened = 0;
        List<UsageEvent> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                UsageEvent first = queue.poll(configuration.segmentEvery().toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    group.add(first);
                    queue.drainTo(group, configuration.batchSize() - 1);
                    if (segment == null) {
                        segmentNo = sequence.incrementAndGet();
                        segment = FileChannel.open(dir.resolve(segmentName(segmentNo) + OPEN),
                                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                        segmentOpened = System.nanoTime();
                        segmentEvents = 0;
                    }
                    writeGroup(segment, group);
                    segmentEvents += group.size();
                    journaled.increment(group.size());
                    group.clear();
                }
                boolean due = segment != null && (segmentEvents >= configuration.batchSize()
                        || System.nanoTime() - segmentOpened >= configuration.segmentEvery().toNanos() || !running);
                if (due) {
                    segment.close();
                    segment = null;
                    Files.move(dir.resolve(segmentName(segmentNo) + OPEN), dir.resolve(segmentName(segmentNo) + READY),
                            StandardCopyOption.ATOMIC_MOVE);
                    wakeInserter();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (IOException | RuntimeException e) {
                journalFailures.increment();
                LOG.error("usage journal write failed in {}: {}; inserting {} event(s) directly", dir, e.toString(), group.size());
                insertDirectly(group);
                group.clear();
            }
        }
    }

    private void writeGroup(FileChannel segment, List<UsageEvent> group) throws IOException {
        StringBuilder lines = new StringBuilder(group.size() * 600);
        for (UsageEvent e : group) {
            lines.append(json.writeValueAsString(e)).append('\n');
        }
        ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            segment.write(buffer);
        }
        if (configuration.fsync() == MeterConfiguration.Fsync.BATCH) {
            segment.force(false);
        }
    }

    private void insertDirectly(List<UsageEvent> events) {
        try {
            inserted.increment(writer.insert(events));
            pendingEvents.addAndGet(-events.size());
        } catch (SQLException e) {
            LOG.error("usage events lost: journal and database both failed ({} event(s))", events.size());
            pendingEvents.addAndGet(-events.size());
        }
    }

    // ------------------------------------------------------------------ inserter thread

    private void wakeInserter() {
        synchronized (inserterSignal) {
            inserterSignal.notifyAll();
        }
    }

    private void insertLoop() {
        long backoff = 0;
        long lastWarning = 0;
        while (running || !readySegments().isEmpty()) {
            try {
                if (backoff > 0) {
                    Thread.sleep(backoff);
                }
                List<Path> ready = readySegments();
                if (ready.isEmpty()) {
                    synchronized (inserterSignal) {
                        inserterSignal.wait(configuration.segmentEvery().toMillis());
                    }
                    continue;
                }
                for (Path segment : ready) {
                    List<UsageEvent> events = read(segment);
                    inserted.increment(writer.insert(events));
                    Files.delete(segment);
                    pendingEvents.addAndGet(-events.size());
                }
                if (backoff > 0) {
                    LOG.info("usage journal: PostgreSQL is back, replayed the waiting segments");
                }
                backoff = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | IOException | RuntimeException e) {
                insertFailures.increment();
                backoff = Math.min(30_000, Math.max(250, backoff * 2));
                if (System.currentTimeMillis() - lastWarning > 10_000) {
                    lastWarning = System.currentTimeMillis();
                    LOG.warn("usage events wait in the journal ({} pending): insert failed: {}", pendingEvents.get(), e.getMessage());
                }
                if (!running) {
                    return;
                }
            }
        }
    }

    private List<Path> readySegments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(READY)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private List<UsageEvent> read(Path segment) throws IOException {
        List<UsageEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(segment, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(json.readValue(line, UsageEvent.class));
            } catch (IOException e) {
                // a crash mid-write leaves at most one torn last line; the event it held never counted as recorded
                LOG.warn("usage journal {}: skipping an unreadable line", segment.getFileName());
                pendingEvents.decrementAndGet();
            }
        }
        return events;
    }

    /** Drains the queue into the journal and gives the inserter a last chance; the rest waits for the next start. */
    @PreDestroy
    void close() throws InterruptedException, IOException {
        running = false;
        writerThread.join(5_000);
        wakeInserter();
        inserterThread.join(5_000);
        inserterThread.interrupt();
        lock.release();
        lockChannel.close();
    }
}
