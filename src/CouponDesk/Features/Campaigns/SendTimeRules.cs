using System.Globalization;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// When a campaign may be sent (spec §3.2.1 field 7, §5.1): at or after now + lead, where
/// lead = max(minimum, 1.5 × N ÷ R + 5 min) for N recipients at R items per minute; at most 90 days ahead; the
/// 21:00–08:00 KST window needs an explicit confirmation (or is blocked by setting).
/// </summary>
public sealed class SendTimeRules(CampaignOptions options, TimeProvider time)
{
    public const string WallClockFormat = "yyyy-MM-dd HH:mm";

    public TimeSpan Lead(int recipients)
    {
        var computed = TimeSpan.FromMinutes((1.5 * recipients / options.PreparationRatePerMinute) + 5);
        var minimum = TimeSpan.FromMinutes(options.MinLeadMinutes);
        return computed > minimum ? computed : minimum;
    }

    /// <summary>The earliest allowed send time (UTC), rounded up to the next whole minute.</summary>
    public DateTime EarliestUtc(int recipients)
    {
        var earliest = time.GetUtcNow().UtcDateTime + Lead(recipients);
        var rounded = new DateTime(earliest.Ticks - (earliest.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        return rounded < earliest ? rounded.AddMinutes(1) : rounded;
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

    public bool IsNight(DateTime utc)
    {
        var hour = Kst.ToKst(utc).Hour;
        return options.NightStartHour > options.NightEndHour
            ? hour >= options.NightStartHour || hour < options.NightEndHour
            : hour >= options.NightStartHour && hour < options.NightEndHour;
    }

    public bool NightBlocked => options.NightMode == "Block";

    /// <summary>Errors of a send time for a campaign of <paramref name="recipients"/>; empty when it is allowed.</summary>
    public IEnumerable<(string Field, string Message)> Check(DateTime sendUtc, int recipients, bool nightConfirmed, bool checkLead)
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

        if (checkLead)
        {
            var earliest = EarliestUtc(recipients);
            if (sendUtc < earliest)
            {
                var lead = (int)Math.Ceiling(Lead(recipients).TotalMinutes);
                yield return ("scheduledAt", $"발송 예약일시는 {FormatEarliest(earliest, now)} 이후로 선택해 주세요. (발송 준비에 약 {lead}분 필요)");
            }
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
