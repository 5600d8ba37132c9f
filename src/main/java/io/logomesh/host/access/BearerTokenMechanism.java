package io.logomesh.host.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>} and hands it to {@link TokenIdentityProvider}. No header: the
 * request is anonymous (and refused 401 wherever a role is needed); a header that is not a bearer token, or a
 * token nobody issued, fails authentication (401). The challenge is {@code WWW-Authenticate: Bearer}.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    static final String PREFIX = "Bearer ";
    private static final String SCHEME = "Bearer";
    private static final String CHALLENGE = "Bearer realm=\"logomesh\"";
    /** The 401 messages, as every refusal of the API words them. */
    public static final String MISSING = "missing Authorization: Bearer <token> header";
    public static final String INVALID = "invalid bearer token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RefusalAudit refusals;

    @Inject
    public BearerTokenMechanism(RefusalAudit refusals) {
        this.refusals = refusals;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        String token = header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? header.substring(PREFIX.length()).strip() : "";
        return identities.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, SCHEME)));
    }

    /**
     * The 401 answer when a call needs a token and has none (or a bad one): the challenge header and the API's
     * JSON error body {@code {"error": "unauthorized", "message": ...}}.
     */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (context.response().ended() || context.response().headWritten()) {
            return Uni.createFrom().item(false);
        }
        String message = context.request().getHeader(HttpHeaders.AUTHORIZATION) == null ? MISSING : INVALID;
        refusals.unauthenticated(context);
        context.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", CHALLENGE)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(JSON.createObjectNode().put("error", "unauthorized").put("message", message).toString());
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, SCHEME));
    }
}
