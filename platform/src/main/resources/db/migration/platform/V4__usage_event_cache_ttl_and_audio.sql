-- Counts that price differently from plain text tokens: 1-hour cache writes (part of
-- cache_write_tokens; the rest are 5-minute writes), audio input (part of input_tokens), cached
-- audio input (part of cached_input_tokens and input_audio_tokens) and audio output (part of
-- output_tokens). Rows written before this migration read 0, which is how they were priced.
alter table usage_event
    add column cache_write_1h_tokens     bigint not null default 0,
    add column input_audio_tokens        bigint not null default 0,
    add column cached_input_audio_tokens bigint not null default 0,
    add column output_audio_tokens       bigint not null default 0;
