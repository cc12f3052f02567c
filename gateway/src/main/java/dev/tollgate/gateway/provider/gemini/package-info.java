/**
 * Google Gemini's {@code generateContent} / {@code streamGenerateContent?alt=sse} wire format,
 * upstream only: system instruction, {@code user}/{@code model} contents, function declarations,
 * calls and responses (which Gemini matches by name, not id), inline images and usage metadata.
 */
package dev.tollgate.gateway.provider.gemini;
