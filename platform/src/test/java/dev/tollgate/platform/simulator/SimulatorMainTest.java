package dev.tollgate.platform.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SimulatorMainTest {

    @Test
    void parsesTheCommandLine() {
        SimulatorSettings settings = SimulatorMain.parse(new String[] {
            "--port", "9001", "--latency-ms", "15", "--jitter-ms", "5", "--chunk-delay-ms", "3", "--threads", "64"});
        assertEquals(new SimulatorSettings(9001, "127.0.0.1", 15, 5, 3, 64), settings);
        assertEquals(8099, SimulatorMain.parse(new String[0]).port());
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.parse(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.parse(new String[] {"--port", "x"}));
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.parse(new String[] {"--speed", "1"}));
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.parse(new String[] {"--port", "70000"}));
    }
}
