package dev.tollgate.gateway.guard;

import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.Message;
import dev.tollgate.gateway.model.Role;
import dev.tollgate.gateway.model.ToolCall;
import dev.tollgate.platform.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PiiScannerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mail jane.doe+x@example.co.uk now|mail [EMAIL] now",
            "card 4111 1111 1111 1111 ok|card [CARD] ok",
            "card 4111-1111-1111-1111|card [CARD]",
            "amex 378282246310005.|amex [CARD].",
            "iban DE89 3704 0044 0532 0130 00 please|iban [IBAN] please",
            "iban GB82WEST12345698765432|iban [IBAN]",
            "ssn 123-45-6789 here|ssn [NATIONAL_ID] here",
            "nino AB 12 34 56 C here|nino [NATIONAL_ID] here",
            "call +1 415 555 0132 today|call [PHONE] today",
            "call (415) 555-0132 today|call [PHONE] today",
            "call +44 20 7946 0958|call [PHONE]",
            "key sk-proj-abcdefghijklmnopqrstuvwx1234 leaked|key [SECRET] leaked",
            "key sk-ant-api03-abcdefghijklmnopqrstuv|key [SECRET]",
            "aws AKIAIOSFODNN7EXAMPLE|aws [SECRET]",
            "gh ghp_abcdefghijklmnopqrstuvwxyz0123456789|gh [SECRET]",
            "tg tg_AbCdEf123456_abcdefghijABCDEFGHIJ0123456789abcdefghij|tg [SECRET]",
            "two a@b.io and b@c.io|two [EMAIL] and [EMAIL]",
    })
    void redacts(String text, String expected) {
        assertEquals(expected, PiiScanner.redact(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "card 4111 1111 1111 1112 fails Luhn",
            "iban DE89 3704 0044 0532 0130 01 fails mod 97",
            "ssn 000-12-3456 is not issued",
            "date 2024-01-15 and time 12:30",
            "order 1234567 shipped",
            "ip 192.168.100.200 is private",
            "version 1.2.3 released",
            "sk-short is not a key",
            "What is the capital of France?",
    })
    void leavesOrdinaryTextAlone(String text) {
        assertEquals(text, PiiScanner.redact(text), () -> "found " + PiiScanner.scan(text));
    }

    @Test
    void validators() {
        assertTrue(PiiScanner.luhn("4111111111111111"));
        assertFalse(PiiScanner.luhn("4111111111111112"));
        assertTrue(PiiScanner.validIban("FR1420041010050500013M02606"));
        assertFalse(PiiScanner.validIban("FR1420041010050500013M02607"));
    }

    @Test
    void guardModes() {
        ChatRequest request = new ChatRequest("gpt-4o-mini",
                List.of(Message.text(Role.SYSTEM, "support bot"), Message.text(Role.USER, "I am jane@example.com, card 4111111111111111"),
                        new Message(Role.ASSISTANT, List.of(), List.of(new ToolCall("c1", "lookup", "{\"phone\":\"+1 415 555 0132\"}")), null, null)),
                List.of(), null, null, null, null, List.of(), 1, null, null, false, Map.of());
        assertSame(request, PiiGuard.apply(request, ProjectSettings.PiiMode.OFF));
        ChatRequest redacted = PiiGuard.apply(request, ProjectSettings.PiiMode.REDACT);
        assertEquals("I am [EMAIL], card [CARD]", redacted.messages().get(1).text());
        assertEquals("{\"phone\":\"[PHONE]\"}", redacted.messages().get(2).toolCalls().get(0).arguments());
        assertEquals(Set.of(), PiiGuard.find(redacted));

        ApiException blocked = assertThrows(ApiException.class, () -> PiiGuard.apply(request, ProjectSettings.PiiMode.BLOCK));
        assertEquals(400, blocked.status().getCode());
        assertEquals(PiiGuard.BLOCKED, blocked.body().error().code());
        assertTrue(blocked.getMessage().contains("email, card, phone"), blocked.getMessage());
        assertFalse(blocked.getMessage().contains("jane"), "never the values");
        assertFalse(blocked.getMessage().contains("4111"), "never the values");
    }
}
