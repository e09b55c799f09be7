using System.Globalization;
using CouponDesk.Features.Campaigns.Scheduling;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// When a campaign may be sent (spec §3.2.1 field 7, §5.1): at or after now + lead, where
/// lead = max(minimum, 1.5 × N ÷ R + 5 min) — computed by <see cref="StartLeadCalculator"/> (measured R,
/// queue ahead), the same one the starter uses, so registration and start agree; at most 90 days ahead; the
/// 21:00–08:00 KST window needs an explicit confirmation (or is blocked by setting).
/// </summary>
public sealed class SendTimeRules(CampaignOptions options, StartLeadCalculator leads, TimeProvider time)
{
    public const string WallClockFormat = "yyyy-MM-dd HH:mm";

    /// <summary>A hint without the database (last known rate, no queue); decisions use <see cref="LeadAsync"/>.</summary>
    public TimeSpan Lead(int recipients) => leads.Estimate(recipients);

    /// <summary>The lead a campaign of <paramref name="recipients"/> sending at <paramref name="sendAtUtc"/> needs now (measured R, queue ahead).</summary>
    public async Task<StartLead> LeadAsync(int recipients, DateTime sendAtUtc, CancellationToken cancellationToken) =>
        await leads.ForAsync(recipients, sendAtUtc, null, cancellationToken);

    /// <summary>A hint of the earliest allowed send time (UTC, next whole minute) from <see cref="Lead"/>.</summary>
    public DateTime EarliestUtc(int recipients)
    {
        var earliest = time.GetUtcNow().UtcDateTime + Lead(recipients);
        var rounded = new DateTime(earliest.Ticks - (earliest.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        return rounded < earliest ? rounded.AddMinutes(1) : rounded;
    }

    /// <summary>The earliest allowed send time (UTC, next whole minute) with the measured rate and the queue ahead.</summary>
    public async Task<DateTime> EarliestUtcAsync(int recipients, CancellationToken cancellationToken) =>
        (await leads.EarliestAsync(recipients, cancellationToken)).EarliestUtc;

    /// <summary>The submit check: like the synchronous check, with the lead from measured throughput and the queue ahead.</summary>
    public async Task<List<(string Field, string Message)>> CheckAsync(DateTime sendUtc, int recipients, bool nightConfirmed, CancellationToken cancellationToken)
    {
        var inputs = await leads.LoadAsync(cancellationToken);
        var lead = inputs.For(recipients, sendUtc, null).Lead;
        var earliest = inputs.Earliest(recipients).EarliestUtc;
        // The send time itself may overlap a large campaign the earliest time does not: the later of the two is the hint.
        var needed = sendUtc - lead < inputs.NowUtc ? Max(earliest, RoundUp(inputs.NowUtc + lead)) : (DateTime?)null;
        return [.. CheckCore(sendUtc, nightConfirmed, checkLead: true, needed, lead)];
    }

    /// <summary>Parses the form's KST wall-clock value <c>yyyy-MM-dd HH:mm</c> into UTC.</summary>
    public static bool TryParseKst(string? text, out DateTime utc)
    {
        utc = default;
        if (!DateTime.TryParseExact(text?.Trim(), WallClockFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var kst))
        {
            return false;
        }

        utc = Kst.ToUtc(kst);
        return true;
    }

    public bool IsNight(DateTime utc) => options.IsNight(Kst.ToKst(utc));

    public bool NightBlocked => options.NightMode == "Block";

    /// <summary>Errors of a send time for a campaign of <paramref name="recipients"/>; empty when it is allowed.</summary>
    public IEnumerable<(string Field, string Message)> Check(DateTime sendUtc, int recipients, bool nightConfirmed, bool checkLead)
    {
        var earliest = EarliestUtc(recipients);
        return CheckCore(sendUtc, nightConfirmed, checkLead, sendUtc < earliest ? earliest : null, Lead(recipients));
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime RoundUp(DateTime utc)
    {
        var rounded = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        return rounded < utc ? rounded.AddMinutes(1) : rounded;
    }

    private IEnumerable<(string Field, string Message)> CheckCore(DateTime sendUtc, bool nightConfirmed, bool checkLead, DateTime? tooEarlyBefore, TimeSpan lead)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (sendUtc <= now)
        {
            yield return ("scheduledAt", "발송 예약일시가 이미 지났습니다. 현재 이후의 시각을 선택해 주세요.");
            if (!checkLead)
            {
                yield break;
            }
        }

        if (checkLead && tooEarlyBefore is { } earliest)
        {
            var minutes = (int)Math.Ceiling(lead.TotalMinutes);
            yield return ("scheduledAt", $"발송 예약일시는 {FormatEarliest(earliest, now)} 이후로 선택해 주세요. (발송 준비에 약 {minutes}분 필요)");
        }

        if (sendUtc > now.AddDays(options.MaxDaysAhead))
        {
            yield return ("scheduledAt", $"발송 예약일시는 {options.MaxDaysAhead}일 이내로 선택해 주세요.");
        }

        if (IsNight(sendUtc))
        {
            if (NightBlocked)
            {
                yield return ("scheduledAt", $"야간({options.NightStartHour}시~{options.NightEndHour:00}시)에는 발송할 수 없습니다. 다른 시각을 선택해 주세요.");
            }
            else if (!nightConfirmed)
            {
                yield return ("nightSendConfirmed", NightWarning);
            }
        }
    }

    public string NightWarning =>
        $"야간({options.NightStartHour}시~{options.NightEndHour:00}시)에 발송합니다. 광고성 메시지는 수신자의 별도 동의가 없으면 야간 발송이 제한됩니다.";

    /// <summary>"HH:mm" for today, with the date otherwise, so the hint is never ambiguous.</summary>
    private static string FormatEarliest(DateTime earliestUtc, DateTime nowUtc)
    {
        var earliest = Kst.ToKst(earliestUtc);
        return earliest.Date == Kst.ToKst(nowUtc).Date
            ? earliest.ToString("HH:mm", CultureInfo.InvariantCulture)
            : earliest.ToString(WallClockFormat, CultureInfo.InvariantCulture);
    }
}
