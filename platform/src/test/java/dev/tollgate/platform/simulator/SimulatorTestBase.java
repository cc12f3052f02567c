package dev.tollgate.platform.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One simulator per test class, with a clean ledger, no faults and an empty prompt cache before
 * every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SimulatorTestBase {

    protected UpstreamSimulator simulator;
    protected SimClient client;

    @BeforeAll
    void startSimulator() {
        simulator = UpstreamSimulator.start(SimulatorSettings.defaults());
        client = new SimClient(simulator);
    }

    @AfterAll
    void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void resetSimulator() {
        simulator.resetServed();
        simulator.clearFaults();
        simulator.clearPromptCache();
    }
}
