using CouponDesk.Security;
using Microsoft.AspNetCore.OpenApi;
using Scalar.AspNetCore;

namespace CouponDesk.Web.ApiReference;

/// <summary>
/// Maps the OpenAPI document and the Scalar reference according to <see cref="ApiReferenceOptions"/>, and shapes the
/// document: the bearer scheme, a summary and the problem-details answers on every operation.
/// </summary>
public static class ApiReferenceSetup
{
    public static IServiceCollection AddCouponDeskApiReference(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options =>
        {
            options.AddDocumentTransformer<BearerSchemeTransformer>();
            options.AddOperationTransformer<OperationAnswersTransformer>();
        });

    public static void MapCouponDeskApiReference(this WebApplication app)
    {
        var options = app.Configuration.GetSection(ApiReferenceOptions.Section).Get<ApiReferenceOptions>() ?? new();
        var production = app.Environment.IsProduction();
        if (!(options.Enabled ?? !production))
        {
            return;
        }

        var document = app.MapOpenApi("/openapi/{documentName}.json");
        var reference = app.MapScalarApiReference("/docs");
        if (production)
        {
            // The document lists every route and rule: in production only an ADMIN reads it (with a bearer token).
            document.RequireAuthorization(Policies.ManageSettings);
            reference.RequireAuthorization(Policies.ManageSettings);
        }
    }
}
