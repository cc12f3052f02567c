package dev.tollgate.platform.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestServicesTest {

    @Test
    void ownerNamesWithPunctuationGiveUsableDatabaseNames() throws Exception {
        // shorter than 20 characters once the punctuation is gone: used to fail on substring
        assertEquals("tg_abc", TestServices.databasePrefix("a.b-c"));
        assertEquals("tg_mailtest1", TestServices.databasePrefix("Mail.Test$1!"));
        assertEquals("tg_verylongtestclassnam", TestServices.databasePrefix("Very.Long.TestClassName.WithMore"));
        Map<String, String> env = TestServices.isolatedEnvironment("a.b-c");
        String url = env.get("datasources.default.url");
        assertTrue(url.matches(".*/tg_abc_[0-9a-f]{8}(\\?.*)?$"), url);
        try (Connection c = TestServices.connect(url); ResultSet rs = c.createStatement().executeQuery("select current_database()")) {
            rs.next();
            assertTrue(rs.getString(1).startsWith("tg_abc_"));
        }
    }
}
