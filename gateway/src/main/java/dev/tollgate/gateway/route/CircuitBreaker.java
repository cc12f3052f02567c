package dev.tollgate.gateway.route;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The circuit of one target on this replica. Closed, it lets every call through and watches the
 * outcomes; it opens after {@code failures} consecutive failures, or when at least
 * {@code failureRate} of the last {@code window} calls failed. Open, it refuses calls for the
 * cool-down, then lets exactly one probe through (half-open): the probe's success closes the
 * circuit, its failure opens it for another cool-down.
 * <p>
 * The state is per replica on purpose: each replica learns about a failing target from its own
 * calls within a few requests, and the request path needs no Redis round trip per target.
 */
public final class CircuitBreaker {

    /** The circuit's state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** What a caller may do now. */
    public enum Permit {
        /** Call normally. */
        CALL,
        /** Call as the half-open probe: report its outcome, or {@link #abandon} it. */
        PROBE,
        /** Do not call: the circuit is open. */
        REJECTED
    }

    private final int failures;
    private final double failureRate;
    private final boolean[] window;
    private final long cooldownNanos;
    private final LongSupplier clock;

    private State state = State.CLOSED;
    private int consecutive;
    private int recorded;
    private int next;
    private int failed;
    private long openedAt;
    private boolean probing;

    public CircuitBreaker(int failures, double failureRate, int window, Duration cooldown, LongSupplier nanoClock) {
        this.failures = failures;
        this.failureRate = failureRate;
        this.window = new boolean[Math.max(1, window)];
        this.cooldownNanos = cooldown.toNanos();
        this.clock = nanoClock;
    }

    /** Asks to call the target. */
    public synchronized Permit acquire() {
        switch (state) {
            case CLOSED -> {
                return Permit.CALL;
            }
            case OPEN -> {
                if (clock.getAsLong() - openedAt < cooldownNanos) {
                    return Permit.REJECTED;
                }
                state = State.HALF_OPEN;
                probing = true;
                return Permit.PROBE;
            }
            default -> {
                if (probing) {
                    return Permit.REJECTED;
                }
                probing = true;
                return Permit.PROBE;
            }
        }
    }

    /** A call succeeded. */
    public synchronized void success(Permit permit) {
        if (permit == Permit.PROBE || state == State.HALF_OPEN) {
            reset();
            return;
        }
        consecutive = 0;
        record(false);
    }

    /** A call failed in a way that is the target's fault; returns true if this opened the circuit. */
    public synchronized boolean failure(Permit permit) {
        if (permit == Permit.PROBE || state == State.HALF_OPEN) {
            open();
            return true;
        }
        if (state == State.OPEN) {
            return false;
        }
        consecutive++;
        record(true);
        if (consecutive >= failures || recorded >= window.length && failed >= failureRate * window.length) {
            open();
            return true;
        }
        return false;
    }

    /** A probe ended without a verdict (the caller went away): the next caller probes instead. */
    public synchronized void abandon(Permit permit) {
        if (permit == Permit.PROBE) {
            probing = false;
        }
    }

    public synchronized State state() {
        if (state == State.OPEN && clock.getAsLong() - openedAt >= cooldownNanos) {
            return State.HALF_OPEN;
        }
        return state;
    }

    private void record(boolean failure) {
        if (recorded == window.length && window[next]) {
            failed--;
        }
        window[next] = failure;
        if (failure) {
            failed++;
        }
        next = (next + 1) % window.length;
        recorded = Math.min(window.length, recorded + 1);
    }

    private void open() {
        state = State.OPEN;
        openedAt = clock.getAsLong();
        probing = false;
    }

    private void reset() {
        state = State.CLOSED;
        consecutive = 0;
        recorded = 0;
        next = 0;
        failed = 0;
        probing = false;
        java.util.Arrays.fill(window, false);
    }
}
