/**
 * Upstream provider simulators: a real HTTP server on loopback ({@link
 * dev.tollgate.platform.simulator.UpstreamSimulator}) that answers OpenAI / Azure OpenAI,
 * Anthropic and Gemini requests in those providers' own JSON and SSE formats, with deterministic
 * answers, jtokkit token counts, prompt caching, configurable latency, fault injection
 * ({@code /faults}), a ledger of what was actually delivered ({@code /served}) and the providers'
 * usage-report APIs built from that ledger. Used by the zero-configuration mode, by every
 * module's tests and by benchmarks ({@link dev.tollgate.platform.simulator.SimulatorMain}).
 */
package dev.tollgate.platform.simulator;
