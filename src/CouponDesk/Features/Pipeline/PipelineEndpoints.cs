using System.Text.Json;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// Control and observation of running campaigns: pause (P8), resume (P8) (cancel, P7, is Cancels/CampaignCancelEndpoints),
/// progress as JSON (P6) and as a server-sent-event stream (the reconciliation report, P23, is Reconciliation's). Refusals are 409s.
/// </summary>
public sealed class PipelineEndpoints : IEndpointModule
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/campaigns/{id:long}/pipeline").WithTags("Campaign pipeline");
        group.MapPost("/pause", (long id, HttpContext http, PipelineControl control, CancellationToken ct) => Act(control.PauseAsync(id, AuditActor.From(http), ct)))
            .RequireAuthorization(Policies.ControlCampaign);
        group.MapPost("/resume", (long id, HttpContext http, PipelineControl control, CancellationToken ct) => Act(control.ResumeAsync(id, AuditActor.From(http), ct)))
            .RequireAuthorization(Policies.ControlCampaign);
        group.MapGet("/progress", async (long id, PipelineProgress progress, CancellationToken ct) =>
            await progress.GetAsync(id, ct) is { } p ? Results.Ok(p) : ApiProblem.NotFound().ToResult())
            .RequireAuthorization(Policies.ViewCampaigns);
        group.MapGet("/progress/stream", StreamAsync).RequireAuthorization(Policies.ViewCampaigns);
    }

    private static async Task<IResult> Act(Task<Outcome<int>> action) => (await action).ToResult(withdrawn => Results.Ok(new { withdrawn }));

    /// <summary>Server-sent events: one <c>progress</c> event per second while the campaign runs; ends when it is final or the client leaves.</summary>
    private static async Task StreamAsync(long id, HttpContext http, PipelineProgress progress, CancellationToken ct)
    {
        var first = await progress.GetAsync(id, ct);
        if (first is null)
        {
            await ApiProblem.NotFound().ToResult().ExecuteAsync(http);
            return;
        }

        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var current = first;
        while (!ct.IsCancellationRequested)
        {
            await http.Response.WriteAsync($"event: progress\ndata: {JsonSerializer.Serialize(current, Json)}\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            if (current.FinishedAt is not null || current.Status is CampaignStatus.Cancelled or CampaignStatus.Draft)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            current = await progress.GetAsync(id, ct);
            if (current is null)
            {
                return;
            }
        }
    }
}
