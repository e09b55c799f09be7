using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CouponDesk.Web.ApiReference;

/// <summary>
/// Gives every operation what a client needs beyond its success answer: a summary (the endpoint's own, else one made
/// from its tag and route), the bearer requirement with its policy when it is not anonymous, and the problem-details
/// answers it can give (400 validation, 401/403 for protected ones, 404 for a resource by id, 409 for state changes).
/// </summary>
public sealed class OperationAnswersTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "GET";
        var route = "/" + (description.RelativePath ?? "").TrimStart('/');
        var tag = operation.Tags?.FirstOrDefault()?.Name;
        operation.Summary ??= string.Create(CultureInfo.InvariantCulture, $"{(tag is null ? "" : tag + ": ")}{method} {route}");

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).Distinct().ToList();
        operation.Responses ??= [];
        if (!anonymous && (policies.Count > 0 || metadata.OfType<IAuthorizeData>().Any()))
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSchemeTransformer.Scheme, context.Document)] = [] }];
            if (policies.Count > 0)
            {
                operation.Description = (operation.Description is null ? "" : operation.Description + "\n\n") + "Policy: " + string.Join(", ", policies);
            }

            Add(operation, context, "401", "No valid session (code unauthorized)");
            Add(operation, context, "403", "The role may not do this (code forbidden), or the password must be changed first (password_change_required)");
        }

        Add(operation, context, "400", "Malformed or invalid input (code validation_failed and per-field errors, or a specific code)");
        if (route.Contains('{', StringComparison.Ordinal))
        {
            Add(operation, context, "404", "No such resource (code not_found)");
        }

        if (method is not "GET" and not "HEAD")
        {
            Add(operation, context, "409", "Refused in the resource's current state (a specific code)");
        }

        Add(operation, context, "500", "Unexpected error; quote the correlationId");
        return Task.CompletedTask;
    }

    private static void Add(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string text)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(BearerSchemeTransformer.ProblemSchema, context.Document) },
            },
        };
    }
}
