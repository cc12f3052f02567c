package dev.tollgate.billing.mail;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Outgoing mail ({@code tollgate.mail.*}). Without {@code smtp.host} nothing is sent.
 *
 * @param from         sender address of every mail
 * @param smtpHost     SMTP server; unset = no delivery (the outbox is the mailbox)
 * @param smtpPort     SMTP port
 * @param smtpUsername SMTP user, if the server authenticates
 * @param smtpPassword SMTP password (pass it as {@code ${SMTP_PASSWORD}}, never in a file)
 * @param smtpStarttls require STARTTLS
 * @param pollInterval how often the delivery worker looks for due mails
 * @param maxAttempts  attempts before a mail is marked {@code failed}
 * @param retryBackoff delay before the first retry; doubled on each further attempt (capped at one hour)
 */
@ConfigurationProperties("tollgate.mail")
public record MailConfiguration(@Bindable(defaultValue = "Tollgate <no-reply@tollgate.local>") String from,
                                @Nullable @Bindable("smtp.host") String smtpHost,
                                @Bindable(value = "smtp.port", defaultValue = "25") int smtpPort,
                                @Nullable @Bindable("smtp.username") String smtpUsername,
                                @Nullable @Bindable("smtp.password") String smtpPassword,
                                @Bindable(value = "smtp.starttls", defaultValue = "false") boolean smtpStarttls,
                                @Bindable(defaultValue = "5s") Duration pollInterval,
                                @Bindable(defaultValue = "8") int maxAttempts,
                                @Bindable(defaultValue = "30s") Duration retryBackoff) {
}
