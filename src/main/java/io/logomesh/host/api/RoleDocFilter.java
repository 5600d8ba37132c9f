package io.logomesh.host.api;

import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes into the OpenAPI document which role each operation needs, read from its resource method's
 * {@code @RolesAllowed} (or its class's): a security requirement on the bearer scheme with the roles as scopes,
 * and a last sentence in the description ("Role: operator."). Operation ids are {@code <Class>_<method>}
 * ({@code quarkus.smallrye-openapi.operation-id-strategy=CLASS_METHOD}), which is how the method is found.
 */
public class RoleDocFilter implements OASFilter {

    private static final String PACKAGE = RoleDocFilter.class.getPackageName() + ".";

    @Override
    public Operation filterOperation(Operation operation) {
        roles(operation.getOperationId()).ifPresent(roles -> {
            operation.setSecurity(List.of(OASFactory.createSecurityRequirement()
                    .addScheme(LogoMeshApi.BEARER, roles)));
            String text = "Role: " + String.join(" or ", roles)
                    + (roles.contains("caller") ? " (a caller token only for the plugins it names)" : "")
                    + ". Higher roles include lower ones (admin > operator > viewer).";
            String description = operation.getDescription();
            operation.setDescription(description == null || description.isBlank() ? text : description + " " + text);
        });
        return operation;
    }

    private static Optional<List<String>> roles(String operationId) {
        if (operationId == null || !operationId.contains("_")) {
            return Optional.empty();
        }
        String className = operationId.substring(0, operationId.indexOf('_'));
        String methodName = operationId.substring(operationId.indexOf('_') + 1);
        try {
            Class<?> type = Class.forName(PACKAGE + className, false, RoleDocFilter.class.getClassLoader());
            for (Method m : type.getDeclaredMethods()) { // an overload (a private helper) has no role: skip it
                if (m.getName().equals(methodName) && m.getAnnotation(RolesAllowed.class) != null) {
                    return Optional.of(Arrays.asList(m.getAnnotation(RolesAllowed.class).value()));
                }
            }
            RolesAllowed onClass = type.getAnnotation(RolesAllowed.class);
            if (onClass != null) {
                return Optional.of(Arrays.asList(onClass.value()));
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
