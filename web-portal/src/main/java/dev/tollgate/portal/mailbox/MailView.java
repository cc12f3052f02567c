package dev.tollgate.portal.mailbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An e-mail of the outbox as the mailbox shows it; {@code bodyText} is null where it is withheld. */
public record MailView(UUID id, List<String> recipients, String subject, String kind, String status,
                       Instant createdAt, Instant sentAt, String bodyText) {
}
