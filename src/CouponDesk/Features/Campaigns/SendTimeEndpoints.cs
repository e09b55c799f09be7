using System.Globalization;
using CouponDesk.Features.Campaigns.Scheduling;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// 발송 예약일시 (spec §3.2.1 field 7, §5.1): <c>GET /api/campaigns/send-time?recipients=N</c> tells the form which times it
/// may offer — the earliest allowed time (now + the preparation lead for N recipients and the queue ahead, from the same
/// calculator the submit check and the starter use) on the picker's 5-minute step, the latest (the days-ahead limit) and
/// the night window. The submit check stays the judge; this only lets the page show the rule before the operator trips on it.
/// </summary>
public sealed class SendTimeEndpoints : IEndpointModule
{
    public const string InvalidRecipients = "invalid_recipients";

    /// <summary>The picker's minute step (spec §3.2.1: 5-minute steps).</summary>
    public const int StepMinutes = 5;

    private const int MaxRecipients = 1_000_000;

    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/campaigns/send-time", GetAsync).WithTags("Campaigns").RequireAuthorization(Policies.RegisterCampaign);

    private static async Task<IResult> GetAsync(string? recipients, StartLeadCalculator leads, CampaignOptions options, TimeProvider time, CancellationToken ct)
    {
        var count = 0;
        if (!string.IsNullOrEmpty(recipients)
            && (recipients.Length > 7 || !int.TryParse(recipients, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count > MaxRecipients))
        {
            return new ApiProblem(StatusCodes.Status400BadRequest, InvalidRecipients, "Bad request", "수신자 수는 0 이상의 숫자로 입력해 주세요.")
            {
                Errors = new Dictionary<string, string[]> { ["recipients"] = ["수신자 수는 0 이상의 숫자로 입력해 주세요."] },
            }.ToResult();
        }

        var (earliestUtc, lead) = await leads.EarliestAsync(count, ct);
        var now = time.GetUtcNow().UtcDateTime;
        return Results.Ok(new SendTimeWindow(
            Kst.FormatMinute(OnStep(earliestUtc, up: true)),
            (int)Math.Ceiling(lead.Lead.TotalMinutes),
            Kst.FormatMinute(OnStep(now.AddDays(options.MaxDaysAhead), up: false)),
            options.MaxDaysAhead,
            StepMinutes,
            options.NightStartHour,
            options.NightEndHour,
            options.NightMode == "Block"));
    }

    /// <summary>The nearest 5-minute step at or after (or at or before) an instant; KST is a whole-hour offset, so UTC steps are KST steps.</summary>
    public static DateTime OnStep(DateTime utc, bool up)
    {
        var step = TimeSpan.FromMinutes(StepMinutes).Ticks;
        var down = utc.Ticks - (utc.Ticks % step);
        return new DateTime(up && down < utc.Ticks ? down + step : down, DateTimeKind.Utc);
    }
}

/// <summary>The send times the form may offer, as KST wall-clock text <c>yyyy-MM-dd HH:mm</c>.</summary>
public sealed record SendTimeWindow(
    string Earliest, int LeadMinutes, string Latest, int MaxDaysAhead, int StepMinutes, int NightStartHour, int NightEndHour, bool NightBlocked);
