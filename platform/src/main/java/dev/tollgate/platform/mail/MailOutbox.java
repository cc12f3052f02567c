package dev.tollgate.platform.mail;

import java.util.Optional;
import java.util.UUID;

/**
 * The durable queue of outgoing e-mail. Every module enqueues here; billing's delivery worker
 * sends over SMTP with retries (or, in the embedded default, leaves them as the visible mailbox).
 */
public interface MailOutbox {

    /**
     * Queues a mail. Returns its id, or empty when a mail with the same {@code dedupKey} was
     * already queued (it is then not queued again).
     */
    Optional<UUID> enqueue(Mail mail);
}
