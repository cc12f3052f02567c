package dev.tollgate.billing.mail;

import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import io.micronaut.email.javamail.sender.SessionProvider;
import jakarta.inject.Singleton;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;

import java.util.Properties;

/** The Jakarta Mail session of micronaut-email-javamail, built from {@link MailConfiguration}. */
@Singleton
@Primary
@Requires(property = "tollgate.mail.smtp.host")
public class SmtpSessionProvider implements SessionProvider {

    private final Session session;

    public SmtpSessionProvider(MailConfiguration config) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", config.smtpHost());
        p.put("mail.smtp.port", String.valueOf(config.smtpPort()));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "20000");
        p.put("mail.smtp.writetimeout", "20000");
        if (config.smtpStarttls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        Authenticator auth = null;
        if (config.smtpUsername() != null && !config.smtpUsername().isBlank()) {
            p.put("mail.smtp.auth", "true");
            String user = config.smtpUsername();
            String password = config.smtpPassword() == null ? "" : config.smtpPassword();
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        this.session = Session.getInstance(p, auth);
    }

    @Override
    public Session session() {
        return session;
    }
}
