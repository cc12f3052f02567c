package dev.tollgate.portal.mailbox;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.platform.security.Role;
import dev.tollgate.portal.web.Page;
import dev.tollgate.portal.web.PortalConfiguration;
import dev.tollgate.portal.web.Viewer;
import dev.tollgate.portal.web.Viewers;
import dev.tollgate.tenant.web.Db;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /mailbox}: the signed-in tenant's e-mails in {@code mail_outbox}, newest first, for
 * admins and owners. Invitation e-mails carry a one-time sign-up link, so their text is shown to
 * owners only (an admin could otherwise accept an owner's invitation in their name).
 */
@Controller("/mailbox")
@Produces(MediaType.TEXT_HTML)
@Requires(property = "tollgate.portal.enabled", notEquals = "false")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class MailboxController {

    private final Viewers viewers;
    private final Db db;
    private final PortalConfiguration configuration;

    public MailboxController(Viewers viewers, Db db, PortalConfiguration configuration) {
        this.viewers = viewers;
        this.db = db;
        this.configuration = configuration;
    }

    @Get
    public HttpResponse<?> list(Authentication authentication) {
        Viewer viewer = allowed(authentication);
        List<MailView> mails = db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, SELECT + " where tenant_id = ? order by created_at desc, id limit ?",
                    viewer.caller().tenantId(), configuration.pageSize());
                 ResultSet rs = ps.executeQuery()) {
                List<MailView> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(view(rs, viewer));
                }
                return out;
            }
        });
        return Page.of("mailbox", viewer, "mailbox").with("title", "Mailbox").with("mails", mails).ok();
    }

    @Get("/{id}")
    public HttpResponse<?> show(Authentication authentication, UUID id) {
        Viewer viewer = allowed(authentication);
        Optional<MailView> mail = db.read(c -> {
            try (PreparedStatement ps = Db.prepare(c, SELECT + " where tenant_id = ? and id = ?", viewer.caller().tenantId(), id);
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(view(rs, viewer)) : Optional.empty();
            }
        });
        MailView m = mail.orElseThrow(() -> ApiException.notFound("No such e-mail in your organization's mailbox", "mail_not_found"));
        return Page.of("mail", viewer, "mailbox").with("title", m.subject()).with("m", m).ok();
    }

    private Viewer allowed(Authentication authentication) {
        Viewer viewer = viewers.of(authentication);
        if (!viewer.mailbox()) {
            throw ApiException.notFound("The mailbox is only part of the embedded mode; e-mails go out by SMTP here", "mailbox_disabled");
        }
        viewer.caller().require(Role.ADMIN);
        return viewer;
    }

    private static final String SELECT = "select id, recipients, subject, kind, status, created_at, sent_at, body_text from mail_outbox";

    private static MailView view(ResultSet rs, Viewer viewer) throws SQLException {
        Array recipients = rs.getArray(2);
        String kind = rs.getString(4);
        boolean withheld = "invite".equals(kind) && !viewer.owner();
        return new MailView(rs.getObject(1, UUID.class), List.of((String[]) recipients.getArray()), rs.getString(3), kind,
                rs.getString(5), Db.instant(rs.getTimestamp(6)), Db.instant(rs.getTimestamp(7)),
                withheld ? null : rs.getString(8));
    }
}
