package dev.tollgate.platform.simulator;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** State shared by the provider handlers of one simulator. */
final class Simulation {

    final Faults faults = new Faults();
    final ServedLedger ledger;
    final PromptCache cache = new PromptCache();
    final Clock clock;
    private final AtomicReference<Timing> timing;

    Simulation(Timing initial, Clock clock) {
        this.timing = new AtomicReference<>(initial);
        this.clock = clock;
        this.ledger = new ServedLedger(clock);
    }

    Timing timing() {
        return timing.get();
    }

    void timing(Timing next) {
        timing.set(next);
    }

    Optional<Fault> fault(String provider, String model) {
        return faults.fire(provider, model);
    }

    /** Waits before the first byte: the fault's latency when it sets one, else fixed latency plus jitter. */
    void awaitFirstByte(Optional<Fault> fault) throws HttpCall.Dropped {
        Long override = fault.map(Fault::latencyMs).orElse(null);
        sleep(override != null ? override : timing().firstByteDelayMs());
    }

    long epochSeconds() {
        return clock.millis() / 1000;
    }

    static void sleep(long millis) throws HttpCall.Dropped {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpCall.Dropped();
        }
    }
}
