package io.logomesh.host.access;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Turns a presented bearer token into an identity: principal = the token's id (never the token), its role and
 * the roles that role includes ({@link Role#granted}), and
 * for a caller token the attribute {@value Callers#PLUGINS} (the plugins it may run actions on). A token nobody
 * issued, or one revoked, fails with {@link AuthenticationFailedException} (401). Hashing and comparing in memory
 * is cheap, so it runs on the calling thread.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final TokenStore tokens;

    @Inject
    public TokenIdentityProvider(TokenStore tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return tokens.authenticate(request.getToken().getToken())
                .map(info -> Uni.createFrom().<SecurityIdentity>item(identity(info)))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("invalid bearer token")));
    }

    private static SecurityIdentity identity(TokenInfo info) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(info.id()))
                .addRoles(Role.parse(info.role()).map(Role::granted).orElse(java.util.Set.of()))
                .addAttribute(Callers.PLUGINS, info.plugins() == null ? List.of() : info.plugins())
                .build();
    }
}
