package dev.tollgate.gateway.meter;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code tollgate.meter.*}.
 *
 * @param journalDir   directory of the usage journal (default {@code $TOLLGATE_HOME/usage-journal},
 *                     i.e. {@code ./.tollgate/usage-journal}); one directory per gateway process
 *                     (a lock file enforces it) on a disk that survives restarts
 * @param fsync        {@code batch} (default): every write group is fsynced, so an event survives a
 *                     power loss once written; {@code none}: written to the OS only, which survives a
 *                     process crash (kill -9) but not a power loss, for less disk load
 * @param segmentEvery how often the open journal segment is closed and handed to the database
 *                     writer (default 200 ms): the lag between a request and its row
 * @param batchSize    most events per journal segment and database batch (default 1000)
 */
@ConfigurationProperties("tollgate.meter")
public record MeterConfiguration(@Nullable String journalDir,
                                 @Bindable(defaultValue = "batch") Fsync fsync,
                                 @Bindable(defaultValue = "200ms") Duration segmentEvery,
                                 @Bindable(defaultValue = "1000") int batchSize) {

    /** When journal writes are forced to disk. */
    public enum Fsync { BATCH, NONE }
}
