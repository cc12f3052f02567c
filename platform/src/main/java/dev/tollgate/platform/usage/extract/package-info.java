/**
 * Reading token usage out of providers' raw response bodies, following the {@code extractors} of
 * the pinned genai-prices table (one extractor per provider and API flavour: a root path and
 * {@code path → dest} mappings, summed per destination). The gateway's meter and billing's cost
 * preview use this one implementation, so what is metered live and what an operator previews
 * cannot drift apart. {@link dev.tollgate.platform.usage.extract.MatchRule} is the table's
 * boolean string-matching language, shared with billing's model matching.
 */
package dev.tollgate.platform.usage.extract;
