package dev.tollgate.platform.usage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code usage_event} columns of a {@link TokenUsage}, in one order for every writer and
 * reader: {@link #LIST} in a statement, then {@link #bind} or {@link #read} from the position of
 * its first column.
 */
public final class TokenUsageColumns {

    /** The column names, comma-separated, in {@link TokenUsage}'s component order. */
    public static final String LIST = "input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, "
            + "cache_write_1h_tokens, input_audio_tokens, cached_input_audio_tokens, output_audio_tokens";

    /** How many columns {@link #LIST} names. */
    public static final int COUNT = 9;

    private TokenUsageColumns() {
    }

    /** Binds the counts from parameter {@code first}; returns the next parameter index. */
    public static int bind(PreparedStatement ps, int first, TokenUsage u) throws SQLException {
        int i = first;
        ps.setLong(i++, u.inputTokens());
        ps.setLong(i++, u.cachedInputTokens());
        ps.setLong(i++, u.cacheWriteTokens());
        ps.setLong(i++, u.outputTokens());
        ps.setLong(i++, u.reasoningTokens());
        ps.setLong(i++, u.cacheWrite1hTokens());
        ps.setLong(i++, u.inputAudioTokens());
        ps.setLong(i++, u.cachedInputAudioTokens());
        ps.setLong(i++, u.outputAudioTokens());
        return i;
    }

    /** Reads the counts from column {@code first} of the current row. */
    public static TokenUsage read(ResultSet rs, int first) throws SQLException {
        int i = first;
        return new TokenUsage(rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++),
                rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i));
    }
}
