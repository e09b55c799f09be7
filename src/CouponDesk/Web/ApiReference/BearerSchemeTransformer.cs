using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CouponDesk.Web.ApiReference;

/// <summary>Declares the bearer scheme (the token from <c>POST /api/auth/login</c>) and the problem-details schema the answers refer to.</summary>
public sealed class BearerSchemeTransformer : IOpenApiDocumentTransformer
{
    public const string Scheme = "Bearer";
    public const string ProblemSchema = "ProblemDetails";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "CouponDesk API";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The accessToken of POST /api/auth/login; valid while its server-side session lives (idle 30 min).",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details: a stable English code, a Korean detail, the correlation id, per-field errors for validation.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["correlationId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema { Type = JsonSchemaType.Object },
            },
        };
        return Task.CompletedTask;
    }
}
