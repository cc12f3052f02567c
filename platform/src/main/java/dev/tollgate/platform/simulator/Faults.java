package dev.tollgate.platform.simulator;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The active faults of one simulator; the first active fault (in insertion order) that fires wins. */
final class Faults {

    private final List<Active> active = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    ActiveFault add(Fault fault) {
        Active entry = new Active("fault_" + ids.incrementAndGet(), fault,
            new AtomicInteger(fault.count() == null ? -1 : fault.count()));
        active.add(entry);
        return entry.view();
    }

    void clear() {
        active.clear();
    }

    List<ActiveFault> list() {
        return active.stream().map(Active::view).toList();
    }

    /** The fault that fires for this request, consuming one use of a counted fault. */
    Optional<Fault> fire(String provider, String model) {
        for (Active entry : active) {
            if (entry.fault.matches(provider, model) && entry.tryFire()) {
                if (entry.remaining.get() == 0) {
                    active.remove(entry);
                }
                return Optional.of(entry.fault);
            }
        }
        return Optional.empty();
    }

    private record Active(String id, Fault fault, AtomicInteger remaining) {

        boolean tryFire() {
            if (fault.count() != null) {
                int left;
                do {
                    left = remaining.get();
                    if (left <= 0) {
                        return false;
                    }
                } while (!remaining.compareAndSet(left, left - 1));
                return true;
            }
            return fault.rate() == null || ThreadLocalRandom.current().nextDouble() < fault.rate();
        }

        ActiveFault view() {
            return new ActiveFault(id, fault.provider(), fault.model(), fault.mode().wireName(),
                fault.mode() == FaultMode.ERROR ? fault.status() : null,
                fault.count() == null ? null : Math.max(0, remaining.get()),
                fault.rate(), fault.latencyMs(), fault.retryAfterSeconds());
        }
    }
}
