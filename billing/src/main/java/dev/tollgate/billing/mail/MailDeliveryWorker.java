package dev.tollgate.billing.mail;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.email.Email;
import io.micronaut.email.EmailException;
import io.micronaut.email.MultipartBody;
import io.micronaut.email.javamail.sender.JavaxEmailSender;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Sends due mails of {@code mail_outbox} over SMTP. Rows are claimed with
 * {@code for update skip locked}, so replicas never send one mail twice; a failure reschedules
 * the mail with exponential backoff until {@code tollgate.mail.max-attempts}, then marks it
 * {@code failed} with the last error.
 */
@Singleton
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
@Requires(property = "tollgate.mail.smtp.host")
public class MailDeliveryWorker {

    private static final Logger LOG = LoggerFactory.getLogger(MailDeliveryWorker.class);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final int BATCH = 20;

    private final DataSource dataSource;
    private final JavaxEmailSender sender;
    private final MailConfiguration config;

    public MailDeliveryWorker(DataSource dataSource, JavaxEmailSender sender, MailConfiguration config) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.sender = sender;
        this.config = config;
    }

    @Scheduled(fixedDelay = "${tollgate.mail.poll-interval:5s}")
    void scheduled() {
        try {
            while (deliverDue() == BATCH) {
                // drain the backlog
            }
        } catch (RuntimeException e) {
            LOG.error("mail delivery cycle failed; retried next cycle", e);
        }
    }

    /** Sends up to one batch of due mails; returns how many were attempted. */
    public int deliverDue() {
        int attempted = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement select = c.prepareStatement("""
                    select id, recipients, subject, body_text, body_html, attempts from mail_outbox
                     where status = 'queued' and next_attempt_at <= now()
                     order by next_attempt_at limit ? for update skip locked""");
                 PreparedStatement sent = c.prepareStatement("""
                         update mail_outbox set status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = null
                          where id = ?""");
                 PreparedStatement failed = c.prepareStatement("""
                         update mail_outbox set status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ? where id = ?""")) {
                select.setInt(1, BATCH);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        attempted++;
                        UUID id = rs.getObject(1, UUID.class);
                        int attempts = rs.getInt(6) + 1;
                        try {
                            send((String[]) rs.getArray(2).getArray(), rs.getString(3), rs.getString(4), rs.getString(5));
                            sent.setObject(1, id);
                            sent.executeUpdate();
                        } catch (EmailException | IllegalArgumentException e) {
                            boolean giveUp = attempts >= config.maxAttempts();
                            Duration delay = backoff(attempts);
                            failed.setString(1, giveUp ? "failed" : "queued");
                            failed.setString(2, rootMessage(e));
                            failed.setTimestamp(3, Timestamp.from(Instant.now().plus(delay)));
                            failed.setObject(4, id);
                            failed.executeUpdate();
                            LOG.warn("mail {} not delivered (attempt {}){}: {}", id, attempts, giveUp ? ", giving up" : "", rootMessage(e));
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("mail outbox unavailable", e);
        }
        return attempted;
    }

    private void send(String[] to, String subject, String text, String html) {
        Email.Builder email = Email.builder().from(config.from()).subject(subject);
        if (html == null) {
            email.body(text);
        } else {
            email.body(new MultipartBody(html, text));
        }
        for (String r : to) {
            email.to(r);
        }
        sender.send(email.build(), message -> { });
    }

    Duration backoff(int attempts) {
        Duration d = config.retryBackoff().multipliedBy(1L << Math.min(attempts - 1, 20));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getClass().getSimpleName() + ": " + t.getMessage();
        return m.length() > 500 ? m.substring(0, 500) : m;
    }
}
